"""The one exception a long core computation raises when its caller's cancel check
(`cancel()`, `is_canceled()`: Processing's feedback.isCanceled) asks it to stop. A
module of its own, so that raising it pulls in nothing (contiguity needs scipy,
ring_nesting must not)."""


class Canceled(Exception):
    """The caller asked to stop; nothing half-built is returned."""
