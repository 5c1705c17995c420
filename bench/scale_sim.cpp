// Projected wall time of `scan aws --organization --region all` over 1,000 and 10,000 accounts x
// 17 regions, under a simulated clock: nothing sleeps, so 10,000 accounts take seconds to
// project. What runs is the scan's scheduling as scan.cpp and collect.cpp do it, with the real
// RequestLimiter (rate_limit.h) deciding every wait:
//
//   - the main thread: sts:GetCallerIdentity, then organizations:ListAccounts page by page (20
//     accounts a page);
//   - a FIFO pool of --concurrency threads (WorkPool): one job per account (sts:AssumeRole,
//     ec2:DescribeRegions), which queues one job per account x region cell; a cell makes its
//     calls one after the other on its thread (ListClusters, DescribeClusters, ListTasks pages,
//     DescribeTasks batches of 100, DescribeTaskDefinition per in-use revision, DescribeServices
//     batches of 10). ParallelFor helpers are left out: they only run once the queue is empty,
//     and a busy cell is bound by its own buckets, not by threads, so this is the slower side;
//   - then organizations:ListTagsForResource for the accounts with clusters.
//
// Every call first waits for its (account, region, category) bucket, then takes --latency. A
// thread waiting for a bucket is busy, as in the real pool. The estate: most cells empty, one
// in eight with a few clusters and tasks, and a tail of busy accounts (1%) whose busy cells run
// 1,000-5,000 tasks on 200-2,000 in-use revisions. A cold revision cache (every revision
// described). The estate is generated from a seed, so the figures repeat.
//
//   scale_sim [--accounts 10000] [--regions 17] [--latency-ms 50] [--concurrency 64]
//             [--max-rate ecs=10/s ...] [--hot-percent 1]
//
// Prints one line: accounts, cells, calls, projected wall time, the busiest (account, region,
// category) second, thread utilisation, and the longest cell (the bound no concurrency lifts).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "ingest/aws/rate_limit.h"

namespace {

using ecsguard::ingest::aws::ApiCategory;
using ecsguard::ingest::aws::RateLimits;
using ecsguard::ingest::aws::RequestLimiter;
using Clock = std::chrono::system_clock;
using Micros = std::chrono::microseconds;

struct Call {
  std::string service;
  std::string operation;
  std::string account;
  std::string region;
};

struct Options {
  int accounts = 10000;
  int regions = 17;
  int latency_ms = 50;
  int concurrency = 64;
  double hot_percent = 1;           // of the accounts using ECS
  double ecs_account_percent = 30;  // accounts with clusters somewhere
  int busy_region_in = 6;           // an ECS account has clusters in one region in this many
  RateLimits limits = RateLimits::Defaults();
};

const char* const kRegions[] = {
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1",   "eu-central-1",   "eu-north-1", "eu-west-1",
    "eu-west-2",      "eu-west-3",      "sa-east-1",      "us-east-1",  "us-east-2",
    "us-west-1",      "us-west-2"};

std::string AccountId(int i) { return fmt::format("{:012d}", 200000000000LL + i); }

// The calls of one cell, in the collector's order.
std::vector<Call> CellCalls(const std::string& account, const std::string& region,
                            std::mt19937_64& rng, bool busy, bool hot) {
  std::vector<Call> calls;
  auto add = [&](const char* op, int n) {
    for (int i = 0; i < n; ++i) calls.push_back(Call{"ecs", op, account, region});
  };
  add("ListClusters", 1);
  if (!busy) return calls;
  int clusters = 1 + static_cast<int>(rng() % 3);
  int tasks = hot ? 1000 + static_cast<int>(rng() % 4000) : 3 + static_cast<int>(rng() % 40);
  int revisions = hot ? 200 + static_cast<int>(rng() % 1800) : 1 + static_cast<int>(rng() % 4);
  int services = std::max(1, tasks / (hot ? 20 : 5));
  add("DescribeClusters", 1);
  for (int c = 0; c < clusters; ++c) {
    int per_cluster = tasks / clusters;
    int pages = std::max(1, (per_cluster + 99) / 100);
    add("ListTasks", pages);
    add("DescribeTasks", (per_cluster + 99) / 100);
    add("DescribeServices", (services / clusters + 9) / 10);
  }
  add("DescribeTaskDefinition", revisions);
  return calls;
}

struct Job {
  std::vector<Call> calls;
  size_t next = 0;
  int account = -1;  // an account job: queues its cells when done
};

struct Result {
  int64_t calls = 0;
  double wall_s = 0;
  int peak = 0;
  double utilisation = 0;
  double longest_cell_s = 0;
  double setup_s = 0;
  double tags_done_s = 0;
};

Result Simulate(const Options& o) {
  RequestLimiter limiter(o.limits);
  const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(24 * 365 * 50);
  const Micros latency = std::chrono::milliseconds(o.latency_ms);
  std::map<std::tuple<std::string, std::string, std::string, int64_t>, int> per_second;
  Result r;
  const std::string caller = AccountId(0), home = "us-east-1";
  auto send = [&](const Call& c, Clock::time_point now) {
    std::string category = ApiCategory(c.service, c.operation);
    Clock::time_point at = now + limiter.Reserve({c.account, c.region, category}, now);
    int64_t second = std::chrono::duration_cast<std::chrono::seconds>(at - t0).count();
    r.peak = std::max(r.peak, ++per_second[{c.account, c.region, category, second}]);
    ++r.calls;
    return at + latency;
  };

  // The main thread: who am I, then the organization, 20 accounts a page.
  Clock::time_point now = send(Call{"sts", "GetCallerIdentity", caller, home}, t0);
  for (int page = 0; page < (o.accounts + 19) / 20; ++page) {
    now = send(Call{"organizations", "ListAccounts", caller, home}, now);
  }
  r.setup_s = std::chrono::duration<double>(now - t0).count();

  std::mt19937_64 rng(7);
  std::vector<std::vector<std::vector<Call>>> cells(o.accounts);
  for (int a = 0; a < o.accounts; ++a) {
    bool ecs = static_cast<double>(rng() % 10000) < o.ecs_account_percent * 100;
    bool hot = ecs && static_cast<double>(rng() % 10000) < o.hot_percent * 100;
    for (int i = 0; i < o.regions; ++i) {
      bool busy = ecs && rng() % o.busy_region_in == 0;
      cells[a].push_back(CellCalls(AccountId(a), kRegions[i % 17], rng, busy, hot));
    }
  }
  // (time, account) as each account's first cell with clusters is done: the tag reader's queue.
  std::vector<std::pair<Clock::time_point, int>> tags_wanted;
  std::vector<bool> tagged(o.accounts);

  std::deque<Job> queue;
  for (int a = 0; a < o.accounts; ++a) {
    queue.push_back(Job{{Call{"sts", "AssumeRole", caller, home},
                         Call{"ec2", "DescribeRegions", AccountId(a), home}},
                        0,
                        a});
  }
  // (time the job's next call may start, job) for jobs running on a thread.
  using Event = std::pair<Clock::time_point, size_t>;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  std::vector<Job> running;
  std::vector<Clock::time_point> started;
  std::vector<size_t> free_slots;
  int busy = 0;
  double busy_time = 0;
  auto start = [&](Clock::time_point at) {
    while (busy < o.concurrency && !queue.empty()) {
      size_t slot;
      if (!free_slots.empty()) {
        slot = free_slots.back();
        free_slots.pop_back();
        running[slot] = std::move(queue.front());
        started[slot] = at;
      } else {
        slot = running.size();
        running.push_back(std::move(queue.front()));
        started.push_back(at);
      }
      queue.pop_front();
      ++busy;
      events.push({at, slot});
    }
  };
  start(now);
  Clock::time_point end = now;
  while (!events.empty()) {
    auto [at, slot] = events.top();
    events.pop();
    Job& job = running[slot];
    if (job.next < job.calls.size()) {
      events.push({send(job.calls[job.next++], at), slot});
      continue;
    }
    // The job is done: an account job queues its cells; the thread takes the next job.
    double took = std::chrono::duration<double>(at - started[slot]).count();
    busy_time += took;
    if (job.account < 0) {
      r.longest_cell_s = std::max(r.longest_cell_s, took);
      int a = static_cast<int>(std::stoll(job.calls.front().account) - 200000000000LL);
      if (job.calls.size() > 1 && !tagged[a]) {
        tagged[a] = true;
        tags_wanted.emplace_back(at, a);
      }
    } else {
      for (auto& cell : cells[job.account]) queue.push_back(Job{std::move(cell), 0, -1});
    }
    --busy;
    free_slots.push_back(slot);
    end = std::max(end, at);
    start(at);
  }
  r.utilisation = busy_time / (o.concurrency * std::chrono::duration<double>(end - now).count());
  // The tag reader: one thread, one account after the other, beside the pool.
  Clock::time_point reader = now;
  for (const auto& [ready, account] : tags_wanted) {
    reader =
        send(Call{"organizations", "ListTagsForResource", caller, home}, std::max(reader, ready));
  }
  r.tags_done_s = std::chrono::duration<double>(reader - t0).count();
  r.wall_s = std::chrono::duration<double>(std::max(end, reader) - t0).count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--accounts") {
      o.accounts = std::atoi(value.c_str());
    } else if (flag == "--regions") {
      o.regions = std::atoi(value.c_str());
    } else if (flag == "--latency-ms") {
      o.latency_ms = std::atoi(value.c_str());
    } else if (flag == "--concurrency") {
      o.concurrency = std::atoi(value.c_str());
    } else if (flag == "--hot-percent") {
      o.hot_percent = std::atof(value.c_str());
    } else if (flag == "--ecs-account-percent") {
      o.ecs_account_percent = std::atof(value.c_str());
    } else if (flag == "--max-rate") {
      if (auto applied = o.limits.Apply(value); !applied.ok()) {
        fmt::print(stderr, "{}\n", applied.error().message());
        return 3;
      }
    } else {
      fmt::print(stderr, "unknown flag {}\n", flag);
      return 3;
    }
  }
  Result r = Simulate(o);
  fmt::print(
      "{} accounts x {} regions ({} cells), {} ms latency, concurrency {}, limits {}: {} calls, "
      "projected {:.0f} s ({:.1f} min; {:.0f} s listing the organization, account tags read by "
      "{:.0f} s), busiest bucket second {} requests, threads {:.0f}% busy, longest cell "
      "{:.0f} s\n",
      o.accounts, o.regions, o.accounts * o.regions, o.latency_ms, o.concurrency,
      o.limits.ToString(), r.calls, r.wall_s, r.wall_s / 60, r.setup_s, r.tags_done_s, r.peak,
      r.utilisation * 100, r.longest_cell_s);
  return 0;
}
