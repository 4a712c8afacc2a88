// Loaded with --require into each measured process: reports its peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`\nchoreolint-bench-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
