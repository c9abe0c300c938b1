"""Extension objects, created unbound; create_app binds them with init_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
# If the shared Redis store cannot be reached, each process keeps counting in its own memory (and goes back to
# Redis when it answers again): attempts stay limited and nobody sees an error. Swallowing the errors instead
# would let every attempt through while Redis is down.
limiter = Limiter(key_func=get_remote_address, default_limits=[], in_memory_fallback_enabled=True)
