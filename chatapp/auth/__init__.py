"""Identity: password hashing, JWTs, login rate limiting."""
