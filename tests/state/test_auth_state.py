"""The Reflex state's token check is the HTTP doors' check: a signed-out or deleted account's
token names no user, and Sign out ends the account's other sessions too."""

from __future__ import annotations

from chatapp.state.auth import AuthState
from tests.support.auth import insert_user


def _tab(token: str) -> AuthState:
    """A fresh tab's AuthState (no browser) holding `token`."""
    from reflex.state import State

    root = State(_reflex_internal_init=True)
    auth = root.get_substate(AuthState.get_full_name().split(".")[1:])
    auth.token = token
    return auth


async def test_a_valid_token_names_its_user(db) -> None:
    user = insert_user()
    assert (await _tab(user.token).current_user_id()) == user.id


async def test_a_token_signed_out_elsewhere_names_nobody(db) -> None:
    from chatapp.auth import accounts

    user = insert_user()
    tab = _tab(user.token)
    assert (await tab.current_user_id()) == user.id

    accounts.sign_out_everywhere(user.id)

    assert (await tab.current_user_id()) is None


async def test_a_deleted_accounts_token_names_nobody(db) -> None:
    from chatapp.db import User, session_scope

    user = insert_user()
    tab = _tab(user.token)
    assert (await tab.current_user_id()) == user.id

    with session_scope() as session:
        session.delete(session.get(User, user.id))

    assert (await tab.current_user_id()) is None


async def test_signing_out_in_one_tab_ends_the_others(db) -> None:
    user = insert_user()
    this_tab, other_tab = _tab(user.token), _tab(user.token)

    await this_tab.sign_out()

    assert this_tab.token == "" and (await other_tab.current_user_id()) is None
