-- wrk script: cycle through the request paths listed one per line in the file named by $WRK_PATHS.
-- Each wrk thread loads the list and starts at its own offset, so threads do not move in lockstep.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads)
end

local paths = {}
local i = 0

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  i = ((offset or 1) - 1) * 7919 % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
