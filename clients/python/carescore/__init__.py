"""The carescore API client. carescore.v1 holds the messages and stubs
generated from protos/carescore/v1 when this package was built;
carescore.client the thin Client and CarescoreError."""

from carescore.client import CarescoreError, Client

__all__ = ["CarescoreError", "Client"]
