"""聆听 Lingting: contact-center quality and operations platform."""

__version__ = "0.1.0"
