"""``assb explore``: serve the what-if explorer on a local port."""

import socket
import sys
import threading
import time
import webbrowser

from assb_model.errors import ArgumentError


def add_explore_parser(sub) -> None:
    """Register ``assb explore`` on the ``assb`` sub-command parser."""
    s = sub.add_parser(
        "explore",
        help="what-if explorer in the browser (change a quantity, see the curve)",
        description=(
            "Serve the what-if explorer at http://HOST:PORT/ (needs the 'explore' extra: "
            "pip install 'assb-model[explore]'). Stop with Ctrl-C."
        ),
    )
    s.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    s.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    s.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    s.set_defaults(func=cmd_explore)


def _check_port(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise ArgumentError(f"--port must be 1 to 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ArgumentError(f"--host '{host}': {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise ArgumentError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
            ) from None


def cmd_explore(args) -> int:
    """Start the app: warm the model up, then serve until Ctrl-C."""
    _check_port(args.host, args.port)
    try:
        from assb_model.explore.app import create_app
    except ImportError as exc:
        raise ArgumentError(
            f"the explorer needs its web framework ({exc.name} is missing): "
            "pip install 'assb-model[explore]'"
        ) from None
    from assb_model.explore import backend

    t0 = time.perf_counter()
    session = backend.Session()
    # build and solve the default state once, so that the first page shows it at once
    session.run(backend.DEFAULT_PARAMETER_SET, {}, {})
    app = create_app(session)
    url = f"http://{args.host}:{args.port}/"
    print(
        f"assb explore: serving {url} (model ready in {time.perf_counter() - t0:.1f} s; "
        "Ctrl-C to stop)",
        file=sys.stderr,
        flush=True,
    )
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    app.run(host=args.host, port=args.port, debug=False)
    return 0
