"""`lingting check` warns when LINGTING_ASR_MODEL names a folder that holds no model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from lingting.engine.asr_model import AsrModelError, find_model


@register("lingting")
def asr_model_found(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A warning, not an error: the rest of Lingting works without recognition, and the
    worker keeps each call's reason (services.recognition)."""
    folder = settings.LINGTING_ASR_MODEL
    if not folder:
        return []
    try:
        find_model(Path(folder))
    except (AsrModelError, OSError) as exc:
        return [
            Warning(
                f"LINGTING_ASR_MODEL: {exc}. Calls imported without a transcript are not"
                " recognised.",
                hint=(
                    "Point LINGTING_ASR_MODEL at the folder of a sherpa-onnx model (its"
                    " .onnx files and tokens.txt, as sherpa-onnx's releases ship them), or"
                    " leave it empty for no recognition. With a model there, restart the"
                    " worker and run `lingting listen_recordings`: it recognises the calls"
                    " missed."
                ),
                id="interactions.W001",
            )
        ]
    return []
