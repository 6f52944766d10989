"""Writing contacts: the import (`importing`, stored by COPY on PostgreSQL or through the ORM
on SQLite) and who may see which contacts (`access`)."""

from lingting.interactions.services.access import access_grants_set
from lingting.interactions.services.import_batches import ImportReport
from lingting.interactions.services.importing import (
    contacts_import,
    contacts_import_file,
    default_import_workers,
)

__all__ = [
    "ImportReport",
    "access_grants_set",
    "contacts_import",
    "contacts_import_file",
    "default_import_workers",
]
