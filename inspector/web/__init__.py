"""The two aiohttp applications: the public hooks listener and the private inspector listener."""
