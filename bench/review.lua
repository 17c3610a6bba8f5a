-- wrk script for the review write path:
--   wrk -c16 -s bench/review.lua http://127.0.0.1:PORT -- SESSION_ID WORD_ID,WORD_ID,...
-- Each request answers one word of the session (cycling through the given words,
-- each thread starting at a different place; 70% correct), and every status is
-- counted, so the harness can check that each acknowledged (201) review was stored.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("offset", #threads * 7919)
end

function init(args)
   session = args[1]
   words = {}
   for w in string.gmatch(args[2] or "", "%d+") do
      table.insert(words, w)
   end
   if #words == 0 then
      error("review.lua needs a session id and a comma-separated list of word ids")
   end
   n = offset or 0
   created = 0
   refused = 0
   statuses = ""
   headers = { ["Content-Type"] = "application/json" }
end

function request()
   n = n + 1
   local word = words[(n % #words) + 1]
   local body = (n % 10 < 7) and '{"correct": true}' or '{"correct": false}'
   local path = "/api/study_sessions/" .. session .. "/words/" .. word .. "/review"
   return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
   if status == 201 then
      created = created + 1
   else
      refused = refused + 1
      if #statuses < 200 then
         statuses = statuses .. status .. " "
      end
   end
end

function done(summary, latency, requests)
   local c, r = 0, 0
   for _, t in ipairs(threads) do
      c = c + t:get("created")
      r = r + t:get("refused")
      local s = t:get("statuses")
      if s ~= "" then
         io.write("STATUSES " .. s .. "\n")
      end
   end
   io.write(string.format("REVIEWS_CREATED %d\nREVIEWS_REFUSED %d\n", c, r))
end
