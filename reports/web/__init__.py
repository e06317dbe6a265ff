"""The web workspace (`scrutiny serve`): server-rendered pages and a JSON API over the same library calls
as the CLI. `reports.web.app.create_app` builds the application; templates and static files ship inside
this package."""
