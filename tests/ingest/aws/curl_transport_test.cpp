// CurlTransport against a small HTTP/1.1 server on 127.0.0.1 run by the test itself (loopback
// only): requests and responses round-trip, connections are reused, timeouts, refused
// connections and TLS failures map to the error codes the Client relies on.

#include "ingest/aws/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::ingest::aws {
namespace {

using namespace std::chrono_literals;

struct SeenRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
};

struct Reply {
  int status = 200;
  Headers headers;
  std::string body;
  std::chrono::milliseconds delay{0};
};

// Answers each request with handler(request); keeps connections alive; one thread each.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<Reply(const SeenRequest&)> handler)
      : handler_(std::move(handler)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 16);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~LoopbackServer() {
    stop_ = true;
    acceptor_.join();
    for (std::thread& t : connections_) t.join();
    close(listener_);
  }

  std::string Url(std::string_view path) const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_; }
  std::vector<SeenRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Reads until `buffer` holds `want` bytes past `from`, or the peer or the test stops.
  bool ReadMore(int fd, std::string* buffer) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      int ready = poll(&p, 1, 50);
      if (ready == 0) continue;
      if (ready < 0) return false;
      char chunk[4096];
      ssize_t n = read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer->append(chunk, static_cast<size_t>(n));
      return true;
    }
    return false;
  }

  void Serve(int fd) {
    std::string buffer;
    while (!stop_) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!ReadMore(fd, &buffer)) return close(fd), void();
        if (buffer[0] == 0x16) {  // a TLS handshake: answer in plain text, as a real server would
          send(fd, "HTTP/1.1 400 X\r\n\r\n", 18, MSG_NOSIGNAL);
          return close(fd), void();
        }
      }
      SeenRequest request;
      std::vector<std::string_view> lines = Split(std::string_view(buffer).substr(0, end), '\n');
      std::vector<std::string_view> first = Split(Trim(lines[0]), ' ');
      request.method = std::string(first[0]);
      request.target = std::string(first[1]);
      size_t length = 0;
      for (size_t i = 1; i < lines.size(); ++i) {
        std::string_view line = Trim(lines[i]);
        size_t colon = line.find(':');
        request.headers.emplace_back(std::string(line.substr(0, colon)),
                                     std::string(Trim(line.substr(colon + 1))));
        if (EqualsIgnoreCase(request.headers.back().first, "Content-Length")) {
          length = std::stoul(request.headers.back().second);
        }
      }
      buffer.erase(0, end + 4);
      while (buffer.size() < length) {
        if (!ReadMore(fd, &buffer)) return close(fd), void();
      }
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);
      {
        std::lock_guard lock(mu_);
        seen_.push_back(request);
      }
      Reply reply = handler_(request);
      if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
      std::string out =
          fmt::format("HTTP/1.1 {} X\r\nContent-Length: {}\r\n", reply.status, reply.body.size());
      for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
      out += "\r\n" + reply.body;
      if (send(fd, out.data(), out.size(), MSG_NOSIGNAL) < 0) return close(fd), void();
    }
    close(fd);
  }

  std::function<Reply(const SeenRequest&)> handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::mutex mu_;
  std::vector<SeenRequest> seen_;
};

TEST(CurlTransportTest, RoundTripsRequestAndResponse) {
  LoopbackServer server([](const SeenRequest& r) {
    return Reply{201,
                 {{"X-Amzn-RequestId", "rid-7"}, {"Content-Type", "application/json"}},
                 "echo:" + r.body};
  });
  CurlTransport transport;
  HttpRequest request{"POST",
                      server.Url("/path?x=1"),
                      {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"},
                       {"X-Empty", ""}},
                      R"({"maxResults":1})"};
  Result<HttpResponse> response = transport.Send(request);
  ASSERT_TRUE(response.ok()) << response.error().ToString();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"(echo:{"maxResults":1})");
  EXPECT_EQ(FindHeader(response->headers, "x-amzn-requestid").value_or(""), "rid-7");

  std::vector<SeenRequest> seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/path?x=1");
  EXPECT_EQ(seen[0].body, R"({"maxResults":1})");
  EXPECT_EQ(FindHeader(seen[0].headers, "X-Amz-Target").value_or(""),
            "AmazonEC2ContainerServiceV20141113.ListClusters");
  EXPECT_EQ(FindHeader(seen[0].headers, "Content-Type").value_or(""), "application/x-amz-json-1.1");
  EXPECT_TRUE(FindHeader(seen[0].headers, "X-Empty"));
  EXPECT_FALSE(FindHeader(seen[0].headers, "Expect"));
  EXPECT_EQ(FindHeader(seen[0].headers, "Host").value_or(""),
            fmt::format("127.0.0.1:{}", server.port()));
}

TEST(CurlTransportTest, ReusesTheConnection) {
  LoopbackServer server([](const SeenRequest&) { return Reply{200, {}, "ok"}; });
  CurlTransport transport;
  for (int i = 0; i < 5; ++i) {
    Result<HttpResponse> r = transport.Send(HttpRequest{"GET", server.Url("/n")});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  ASSERT_TRUE(transport
                  .Send(HttpRequest{"PUT",
                                    server.Url("/latest/api/token"),
                                    {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}})
                  .ok());
  EXPECT_EQ(server.seen().size(), 6u);
  EXPECT_EQ(server.seen().back().method, "PUT");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(CurlTransportTest, StatusesAreResponsesAndRedirectsAreNotFollowed) {
  LoopbackServer server([](const SeenRequest& r) {
    if (r.target == "/moved") return Reply{302, {{"Location", "/elsewhere"}}, ""};
    return Reply{503, {{"Retry-After", "3"}}, "<Error/>"};
  });
  CurlTransport transport;
  Result<HttpResponse> moved = transport.Send(HttpRequest{"GET", server.Url("/moved")});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->status, 302);
  Result<HttpResponse> busy = transport.Send(HttpRequest{"GET", server.Url("/busy")});
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(FindHeader(busy->headers, "Retry-After").value_or(""), "3");
  EXPECT_EQ(server.seen().size(), 2u);
}

TEST(CurlTransportTest, TimeoutIsAnIoError) {
  LoopbackServer server([](const SeenRequest&) { return Reply{200, {}, "late", 1500ms}; });
  CurlTransport transport;
  HttpRequest request{"GET", server.Url("/slow")};
  request.timeout = 200ms;
  auto started = std::chrono::steady_clock::now();
  Result<HttpResponse> r = transport.Send(request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1200ms);
}

// An endpoint that accepts the connection and never answers: the kernel completes the
// handshake for a socket that listens, nobody reads. The read timeout (curl's low-speed limit)
// ends the request, not the much longer whole-request limit.
TEST(CurlTransportTest, ASilentEndpointFailsAtTheReadTimeout) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  CurlTransport transport(CurlOptions{.read_timeout = 1000ms});
  auto started = std::chrono::steady_clock::now();
  Result<HttpResponse> r = transport.Send(
      HttpRequest{"POST", fmt::format("http://127.0.0.1:{}/", ntohs(addr.sin_port))});
  auto took = std::chrono::steady_clock::now() - started;
  close(listener);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo) << r.error().message();
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 5s);
}

TEST(CurlTransportTest, ErrorsNeverCarryTheUrlsPassword) {
  int port;
  {
    LoopbackServer closed([](const SeenRequest&) { return Reply{}; });
    port = closed.port();
  }
  CurlTransport transport;
  Result<HttpResponse> r =
      transport.Send(HttpRequest{"GET", fmt::format("http://scan:s3cr3t@127.0.0.1:{}/", port)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message().find("s3cr3t"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("scan:***@127.0.0.1"), std::string::npos)
      << r.error().message();
}

TEST(CurlTransportTest, RefusedConnectionIsAnIoError) {
  int port;
  {
    LoopbackServer closed([](const SeenRequest&) { return Reply{}; });
    port = closed.port();
  }
  CurlTransport transport;
  Result<HttpResponse> r =
      transport.Send(HttpRequest{"GET", fmt::format("http://127.0.0.1:{}/", port)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kIo);
}

TEST(CurlTransportTest, TlsFailureIsNotRetryable) {
  // TLS to a plain-HTTP server fails the handshake: a configuration error, not a network blip.
  LoopbackServer server([](const SeenRequest&) { return Reply{}; });
  CurlTransport transport(CurlOptions{.connect_timeout = 2000ms, .request_timeout = 2000ms});
  Result<HttpResponse> r =
      transport.Send(HttpRequest{"GET", fmt::format("https://127.0.0.1:{}/", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConfiguration) << r.error().message();
}

TEST(CurlTransportTest, RefusesOtherSchemesAndHugeResponses) {
  CurlTransport small(CurlOptions{.max_response_bytes = 16});
  Result<HttpResponse> file = small.Send(HttpRequest{"GET", "file:///etc/passwd"});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kInvalidArgument);

  LoopbackServer server([](const SeenRequest&) { return Reply{200, {}, std::string(100, 'x')}; });
  Result<HttpResponse> big = small.Send(HttpRequest{"GET", server.Url("/big")});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message().find("larger than 16 bytes"), std::string::npos);
}

TEST(CurlTransportTest, ManyThreadsShareOneTransport) {
  LoopbackServer server([](const SeenRequest& r) { return Reply{200, {}, r.target}; });
  CurlTransport transport;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string path = fmt::format("/t{}/{}", t, i);
        Result<HttpResponse> r = transport.Send(HttpRequest{"GET", server.Url(path)});
        if (r.ok() && r->body == path) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok, 40);
  EXPECT_LE(server.accepted(), 4);
}

}  // namespace
}  // namespace ecsguard::ingest::aws
