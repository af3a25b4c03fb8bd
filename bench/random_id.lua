-- wrk script: GET PATH with {id} replaced by a random id in 1..MAX_ID (environment).
local path = os.getenv("BENCH_PATH") or "/gis/{id}"
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1000")
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function()
  local p = string.gsub(path, "{id}", tostring(math.random(1, max_id)))
  return wrk.format("GET", p)
end
