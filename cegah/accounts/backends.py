from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    """Django's model backend, loading the user's office, region and site in the same query:
    every page needs them for the scope and the header."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("office__region", "site")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
