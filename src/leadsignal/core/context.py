"""The objects a process builds once from Settings and hands to every command, task and route."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.core.crypto import PiiCipher, cipher_from_settings
from leadsignal.db import make_engine, make_sessionmaker
from leadsignal.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    @cached_property
    def engine(self) -> Engine:
        return self._engine or make_engine(self.settings.sqlalchemy_url, echo=self.settings.database_echo)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    @cached_property
    def cipher(self) -> PiiCipher:
        return cipher_from_settings(self.settings)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
