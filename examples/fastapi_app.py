"""A FastAPI app that opens one Piggy client in its lifespan and returns models from routes.

Piggy's models work as FastAPI response models (``response_model=Contact`` or a
``-> CreditBalance`` annotation) and appear in the OpenAPI document.

    PIGGY_API_KEY=... uvicorn examples.fastapi_app:app
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request

from piggy_async import AsyncPiggy, Contact, ContactNotFoundError, CreditBalance


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One client for the whole app (credentials from the environment), closed at shutdown."""
    async with AsyncPiggy() as piggy:
        app.state.piggy = piggy
        yield


def get_piggy(request: Request) -> AsyncPiggy:
    piggy: AsyncPiggy = request.app.state.piggy
    return piggy


Piggy = Annotated[AsyncPiggy, Depends(get_piggy)]

app = FastAPI(title="piggy-client example", lifespan=lifespan)


@app.get("/contacts/{uuid}", response_model=Contact)
async def get_contact(uuid: str, piggy: Piggy) -> Contact:
    """The contact, as Piggy knows it."""
    try:
        return await piggy.contacts.get(uuid)
    except ContactNotFoundError:
        raise HTTPException(status_code=404, detail="no such contact") from None


@app.get("/contacts/{uuid}/balance")
async def get_balance(uuid: str, piggy: Piggy) -> CreditBalance:
    """The contact's credit balance."""
    return await piggy.contacts.get_credit_balance(uuid)
