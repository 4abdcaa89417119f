"""corpus: a Spark pipeline that turns web crawls into clean pretraining corpora."""

__version__ = "0.1.0"
