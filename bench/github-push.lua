-- wrk script: signed GitHub push deliveries, each with its own X-GitHub-Delivery.
--
--   wrk ... -s bench/github-push.lua http://127.0.0.1:PORT/api/containers/webhooks/github/SERVICE \
--       -- <body file> <X-Hub-Signature-256 value> <8 hex run id>
--
-- The body and its signature are the same for every request (the delivery id is a header and
-- not signed), so the request is pre-formatted once per thread and only the id is spliced in.
-- The delivery id looks like a UUID: <run id>-<thread>-4000-8000-<counter>, unique per run.
-- done() prints "BENCH key=value" lines that bench/run.sh reads.

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

local MARK = "@@DELIVERY@@"
local head, tail
local run_id
local counter = 0

-- per-thread response counters (read back in done())
ok2xx = 0
r3xx = 0
r4xx = 0
r5xx = 0
first_bad = ""

function init(args)
   local f = assert(io.open(args[1], "rb"))
   local body = f:read("*a")
   f:close()
   run_id = args[3]
   wrk.method = "POST"
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["User-Agent"] = "GitHub-Hookshot/7d0b4b2"
   wrk.headers["X-GitHub-Event"] = "push"
   wrk.headers["X-GitHub-Hook-ID"] = "483922117"
   wrk.headers["X-GitHub-Hook-Installation-Target-ID"] = "186853002"
   wrk.headers["X-GitHub-Hook-Installation-Target-Type"] = "repository"
   wrk.headers["X-Hub-Signature-256"] = args[2]
   wrk.headers["X-GitHub-Delivery"] = MARK
   local req = wrk.format()
   local s, e = string.find(req, MARK, 1, true)
   head = string.sub(req, 1, s - 1)
   tail = string.sub(req, e + 1)
end

function request()
   counter = counter + 1
   return head .. string.format("%s-%04x-4000-8000-%012x", run_id, tid, counter) .. tail
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok2xx = ok2xx + 1
   elseif status < 400 then
      r3xx = r3xx + 1
   else
      if status < 500 then r4xx = r4xx + 1 else r5xx = r5xx + 1 end
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body or "", 1, 200)
      end
   end
end

function done(summary, latency, requests)
   local ok, c3, c4, c5, sent = 0, 0, 0, 0, 0
   for _, t in ipairs(threads) do
      ok = ok + t:get("ok2xx")
      c3 = c3 + t:get("r3xx")
      c4 = c4 + t:get("r4xx")
      c5 = c5 + t:get("r5xx")
      local fb = t:get("first_bad")
      if fb ~= nil and fb ~= "" then
         io.write("BENCH first_non2xx=", (string.gsub(fb, "[\r\n]", " ")), "\n")
      end
   end
   local e = summary.errors
   io.write(string.format("BENCH duration_us=%d\n", summary.duration))
   io.write(string.format("BENCH requests=%d\n", summary.requests))
   io.write(string.format("BENCH bytes=%d\n", summary.bytes))
   io.write(string.format("BENCH ok2xx=%d\n", ok))
   io.write(string.format("BENCH r3xx=%d\n", c3))
   io.write(string.format("BENCH r4xx=%d\n", c4))
   io.write(string.format("BENCH r5xx=%d\n", c5))
   io.write(string.format("BENCH wrk_non2xx3xx=%d\n", e.status))
   io.write(string.format("BENCH err_connect=%d\n", e.connect))
   io.write(string.format("BENCH err_read=%d\n", e.read))
   io.write(string.format("BENCH err_write=%d\n", e.write))
   io.write(string.format("BENCH err_timeout=%d\n", e.timeout))
   io.write(string.format("BENCH lat_mean_us=%.0f\n", latency.mean))
   io.write(string.format("BENCH lat_max_us=%d\n", latency.max))
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      io.write(string.format("BENCH lat_p%s_us=%d\n", string.gsub(tostring(p), "%.", "_"), latency:percentile(p)))
   end
end
