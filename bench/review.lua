-- wrk script for the review write path:
--   wrk -c16 -s bench/review.lua http://127.0.0.1:PORT -- SESSIONS WORD_ID,WORD_ID,...
-- SESSIONS is either one session id, answered as the default learner (no token), or
-- a comma-separated list of SESSION_ID:TOKEN pairs, one per learner: each request then
-- takes the next pair in turn and sends its token as X-Learner-Token, so a class of
-- learners answers at once instead of one learner from every connection.
-- Each request answers one word (cycling through the given words, each thread
-- starting at a different place; 70% correct), and every status is counted, so the
-- harness can check that each acknowledged (201) review was stored.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("offset", #threads * 7919)
   thread:set("index", #threads - 1)
end

function init(args)
   learners = {}
   for sid, token in string.gmatch(args[1] or "", "(%d+):([%w_%-]+)") do
      table.insert(learners, { sid, { ["Content-Type"] = "application/json",
                                    ["X-Learner-Token"] = token } })
   end
   if #learners == 0 and string.match(args[1] or "", "^%d+$") then
      learners = { { args[1], { ["Content-Type"] = "application/json" } } }
   end
   words = {}
   for w in string.gmatch(args[2] or "", "%d+") do
      table.insert(words, w)
   end
   if #learners == 0 or #words == 0 then
      error("review.lua needs a session id (or SESSION:TOKEN pairs) and a list of word ids")
   end
   n = offset or 0
   -- the second thread starts half-way round the learners (the harness runs at most
   -- two), so the two threads' connections do not begin on the same learners
   k = (index or 0) * math.floor(#learners / 2)
   created = 0
   refused = 0
   statuses = ""
end

function request()
   n = n + 1
   k = k + 1
   local word = words[(n % #words) + 1]
   local pair = learners[(k % #learners) + 1]
   local body = (n % 10 < 7) and '{"correct": true}' or '{"correct": false}'
   local path = "/api/study_sessions/" .. pair[1] .. "/words/" .. word .. "/review"
   return wrk.format("POST", path, pair[2], body)
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
