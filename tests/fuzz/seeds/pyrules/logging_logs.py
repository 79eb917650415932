# VG101 secrets and personal data in logs / print
import logging
from logging import getLogger

log = logging.getLogger(__name__)
logger = getLogger("x")


def handler(request, user, password, token, credit_card, ssn, tokens, max_tokens, min_len, key_id, token_count, pw):
    logging.info("login with password %s", password)  # expect: VG101
    log.debug(f"token={token}")  # expect: VG101
    logger.warning("user %s api_key %s", user, user.api_key)  # expect: VG101
    print(f"card: {credit_card}")  # expect: VG101
    print("SSN", ssn)  # expect: VG101
    log.info("auth header: %s", request.headers["Authorization"])  # expect: VG101
    user.logger.error("password=%s" % pw)  # expect: VG101
    logging.info("password changed for %s", user)  # ok
    log.info("token count: %d", len(tokens))  # ok
    log.debug(f"max_tokens={max_tokens}")  # ok
    print(f"Your password must be {min_len} characters")  # ok
    logger.info("secret rotated", extra={"key_id": key_id})  # ok
    print(token_count)  # ok
    log.info("user %s logged in", user.name)  # ok
    print(token)  # ok
    print(user.access_token)  # expect: VG101
