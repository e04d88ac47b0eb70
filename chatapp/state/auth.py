"""AuthState: sign up, sign in, sign out; the session token lives in the browser's localStorage."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from chatapp.auth import accounts
from chatapp.auth.bearer import live_account
from chatapp.auth.security import InvalidToken, decode_token, issue_token
from chatapp.errors import AppError, Unauthorized

logger = logging.getLogger("chatapp.state.auth")

TOKEN_STORAGE_KEY = "chatapp_token"
CHAT_ROUTE = "/chat"
TASKS_ROUTE = "/tasks"
HOME_ROUTE = CHAT_ROUTE  # where signed-in users land
LOGIN_ROUTE = "/login"
SIGNUP_ROUTE = "/signup"
EXPIRED_LOGIN_ROUTE = f"{LOGIN_ROUTE}?reason=expired"  # sign in again, told why
SIGNED_OUT_LOGIN_ROUTE = f"{LOGIN_ROUTE}?reason=signed_out"
EXPIRED_MESSAGE = "Your session has expired. Please sign in again."


def friendly_validation(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "input"
    if field == "password" and first.get("type") == "string_too_short":
        return f"Password must be at least {accounts.PASSWORD_MIN_LENGTH} characters."
    if field == "email":
        return "Please enter a valid email address."
    return f"{field}: {first.get('msg', 'is invalid')}"


class AuthState(rx.State):
    """Who is signed in. Every event re-derives the user from the signed token, never from input."""

    token: str = rx.LocalStorage("", name=TOKEN_STORAGE_KEY, sync=True)
    email: str = ""
    auth_error: str = ""
    auth_notice: str = ""
    submitting: bool = False

    async def current_user_id(self) -> int | None:
        """The verified user id for this event, or None when the token is missing/invalid, or
        its account is gone or has signed out since (the same check as the HTTP doors, cached).
        A cache miss reads the account in a worker thread, never on the event loop every tab
        of this server shares."""
        if not self.token:
            return None
        try:
            return (await live_account(decode_token(self.token))).user_id
        except (InvalidToken, Unauthorized):
            return None

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.token)

    @rx.event
    async def on_auth_page_load(self):
        """Sign-in/up pages: bounce signed-in users to their tasks; show why we're here."""
        self.auth_error = ""
        self.submitting = False
        reason = self.router.url.query_parameters.get("reason", "")
        self.auth_notice = {
            "expired": EXPIRED_MESSAGE,
            "signed_out": "You have been signed out.",
        }.get(reason, "")
        if await self.current_user_id() is not None:
            return rx.redirect(HOME_ROUTE)
        return None

    @rx.event
    async def require_auth(self):
        """Protected pages' on_load: a missing or expired token goes to sign-in with a message."""
        user_id = await self.current_user_id()
        if user_id is None:
            had_token = bool(self.token)
            self.token = ""
            return rx.redirect(EXPIRED_LOGIN_ROUTE if had_token else LOGIN_ROUTE)
        if not self.email:
            user = await asyncio.to_thread(accounts.get_user, user_id)
            if user is None:
                self.token = ""
                return rx.redirect(LOGIN_ROUTE)
            self.email = user.email
        return None

    async def _credentials_flow(self, form_data: dict, signing_up: bool):
        self.auth_error = ""
        email = str(form_data.get("email", "")).strip()
        password = str(form_data.get("password", ""))
        try:
            if signing_up:
                if password != str(form_data.get("confirm", password)):
                    self.auth_error = "Passwords do not match."
                    return None
                creds = accounts.Credentials(email=email, password=password)
                user = await asyncio.to_thread(accounts.sign_up, creds)
            else:
                creds = accounts.LoginCredentials(email=email, password=password)
                user = await asyncio.to_thread(accounts.authenticate, creds)
        except ValidationError as exc:
            self.auth_error = friendly_validation(exc)
            return None
        except AppError as exc:
            self.auth_error = exc.message
            return None
        assert user.id is not None  # flushed by sign_up or read from the table
        self.token, _ = issue_token(user.id, version=user.token_version)
        self.email = user.email
        self.auth_notice = ""
        return rx.redirect(HOME_ROUTE)

    @rx.event
    async def submit_credentials(self, form_data: dict, signing_up: bool):
        """The sign-up (`signing_up`) or sign-in form: spinner on, check, then in or an error."""
        self.submitting = True
        yield
        try:
            result = await self._credentials_flow(form_data, signing_up=bool(signing_up))
        finally:
            self.submitting = False
        if result is not None:
            yield result

    @rx.event
    async def sign_out(self):
        # Server-side too: a copy of this token (another tab, a device) stops working now.
        # This browser forgets its token even if that fails (the database is down).
        try:
            user_id = await self.current_user_id()
            if user_id is not None:
                await asyncio.to_thread(accounts.sign_out_everywhere, user_id)
        except SQLAlchemyError:
            logger.warning("sign-out could not end the account's other sessions", exc_info=True)
        self.token = ""
        self.email = ""
        return rx.redirect(SIGNED_OUT_LOGIN_ROUTE)
