"""Wire models for ConnectWise records: pydantic v2, frozen, lenient about what servers omit."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class PatchOp(BaseModel):
    """One JSON Patch operation as ConnectWise takes it (``add`` / ``replace`` / ``remove``)."""

    model_config = ConfigDict(frozen=True)

    op: Literal["add", "replace", "remove"]
    path: str
    value: Any = None

    def wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op != "remove":
            body["value"] = self.value
        return body
