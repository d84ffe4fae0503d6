from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carepact.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from carepact.accounts import signals  # noqa: F401  (connects the login-failure record)
        from carepact.core.navigation import add_top_link

        add_top_link("Organisations", "accounts:organisations", 80)
        add_top_link("API tokens", "accounts:tokens", 90)
