"""One module per subcommand, each with `add_arguments(parser)` and `run(args, out)`."""

DEFAULT_UI_URL = "http://127.0.0.1:9001"
