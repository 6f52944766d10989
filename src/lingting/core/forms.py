"""What every app's forms share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError


@contextmanager
def refusals_on(form: forms.Form) -> Iterator[None]:
    """Run a service's write for a valid form; when the service refuses (ValidationError:
    a rule the form alone could not check), its messages go on the form, and the view goes
    on to show the form again::

        with refusals_on(form):
            kpi_target_set(...)
            return redirect(...)
        return render(request, ..., {"form": form})
    """
    try:
        yield
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
