"""The Lua scripts that change the shared history in Redis, each atomic.

Keys (all under one prefix): `meta` (hash: instance, bounds, schema), `next` (the highest id
given), `ids` (sorted set of stored ids), `bytes` (stored bytes), `dedupe` (hash: dedupe key ->
the first id stored with it), `req:<id>` (hash: the record's JSON document and raw blobs), and
`log` (a stream of changes: `kind` request | update | delete | clear and the `id`). Every
instance follows `log` with XREAD, so all of them see every change in one order; ids are given
inside the script that stores the record, so that order is ascending by id.

Records are referenced, not copied, in the log: an instance reads the record itself once it
sees the entry (the newest version wins, which is what a late reader wants anyway).
"""

from __future__ import annotations

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 record key prefix, 2 log length.
_FORGET = """
local function forget(id)
  local record = ARGV[1] .. id
  local fields = redis.call('HMGET', record, 'size', 'key')
  if not fields[1] then return false end
  if fields[2] and fields[2] ~= '' and redis.call('HGET', KEYS[3], fields[2]) == tostring(id) then
    redis.call('HDEL', KEYS[3], fields[2])
  end
  redis.call('DEL', record)
  redis.call('ZREM', KEYS[1], id)
  redis.call('DECRBY', KEYS[2], tonumber(fields[1]))
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'delete', 'id', id)
  return true
end
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log, 5 next, 6 this batch's marker.
# ARGV: 1 prefix, 2 log length, 3 floor (ids never go below it), 4 max requests, 5 max bytes,
# then per record: document, header block, body, trailer block, size, dedupe key, numbered.
# A batch sent again after a lost reply finds its marker and gets the same answer back.
ADD = _FORGET + """
local done = redis.call('GET', KEYS[6])
if done then return cjson.decode(done) end
local last = math.max(tonumber(redis.call('GET', KEYS[5]) or '0'), tonumber(ARGV[3]))
local max_requests, max_bytes = tonumber(ARGV[4]), tonumber(ARGV[5])
local answer = {}
for i = 6, #ARGV, 7 do
  last = last + 1
  local key, own_key, original = ARGV[i + 5], '', ''
  if key ~= '' then
    local first = redis.call('HGET', KEYS[3], key)
    if first and redis.call('EXISTS', ARGV[1] .. first) == 1 then
      original = first
    else
      redis.call('HSET', KEYS[3], key, last)
      own_key = key
    end
  end
  redis.call('HSET', ARGV[1] .. last, 'doc', ARGV[i], 'header_block', ARGV[i + 1],
             'body', ARGV[i + 2], 'trailer_block', ARGV[i + 3], 'size', ARGV[i + 4],
             'key', own_key, 'dup', original, 'numbered', ARGV[i + 6])
  redis.call('ZADD', KEYS[1], last, last)
  redis.call('INCRBY', KEYS[2], tonumber(ARGV[i + 4]))
  redis.call('SET', KEYS[5], last)
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'request', 'id', last)
  answer[#answer + 1] = last
  answer[#answer + 1] = original
  local count = redis.call('ZCARD', KEYS[1])
  while count > 1 and (count > max_requests
                       or tonumber(redis.call('GET', KEYS[2])) > max_bytes) do
    forget(redis.call('ZRANGE', KEYS[1], 0, 0)[1])
    count = count - 1
  end
end
redis.call('SET', KEYS[6], cjson.encode(answer), 'EX', 600)
return answer
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length, 3 id, then document,
# header block, body, trailer block, size, original id.
REPLACE = """
local record = ARGV[1] .. ARGV[3]
local old = redis.call('HGET', record, 'size')
if not old then return 0 end
redis.call('HSET', record, 'doc', ARGV[4], 'header_block', ARGV[5], 'body', ARGV[6],
           'trailer_block', ARGV[7], 'size', ARGV[8], 'dup', ARGV[9], 'numbered', '0')
redis.call('INCRBY', KEYS[2], tonumber(ARGV[8]) - tonumber(old))
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'update', 'id', ARGV[3])
return 1
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length, then the ids.
DELETE = _FORGET + """
local deleted = 0
for i = 3, #ARGV do
  if forget(ARGV[i]) then deleted = deleted + 1 end
end
return deleted
"""

# KEYS: 1 ids, 2 bytes, 3 dedupe, 4 log. ARGV: 1 prefix, 2 log length.
CLEAR = """
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for start = 1, #ids, 500 do
  local records = {}
  for i = start, math.min(start + 499, #ids) do records[#records + 1] = ARGV[1] .. ids[i] end
  redis.call('DEL', unpack(records))
end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SET', KEYS[2], 0)
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'kind', 'clear', 'id', 0)
return #ids
"""

# KEYS: 1 meta. ARGV: 1 prefix, 2 log length, 3 key, 4 value.
META = """
redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
return 1
"""
