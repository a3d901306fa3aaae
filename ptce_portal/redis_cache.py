"""Django's Redis cache, with one client per connection pool instead of one per command.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and its
constructor fills a table of about 165 response callbacks: about 0.2 ms of CPU per call, more
than the call itself on loopback, paid by every request (the maintenance switch, the content
versions, the page cache). A client over a pool is thread-safe; keeping one per pool is
enough.

That client keeps one connection for its commands (`single_connection_client`, under redis-py's
lock) instead of taking one from the pool and giving it back each time: the checkout polled
the socket and took the pool's lock on every command, about 5 % of a page-cache hit's cost in
a gunicorn worker (545 -> 518 us of CPU a request under wrk). A command that fails on the
connection (Redis gone, a timeout) disconnects it, and the next one connects again;
pipelines (`set_many`, `delete_many`) still take theirs from the pool.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

MAX_REMEMBERED_KEYS = 4096


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(
                connection_pool=self._get_connection_pool(write), single_connection_client=True
            )
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._made_keys: dict[str, str] = {}

    def make_and_validate_key(self, key, version=None):
        # The same few keys on every request (the content versions, the maintenance switch):
        # each is made and checked once per process, not on every read.
        if version is not None:
            return super().make_and_validate_key(key, version=version)
        made = self._made_keys.get(key)
        if made is None:
            made = super().make_and_validate_key(key)
            if len(self._made_keys) < MAX_REMEMBERED_KEYS:
                self._made_keys[key] = made
        return made
