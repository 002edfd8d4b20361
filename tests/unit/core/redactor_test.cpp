#include "core/redactor.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"
#include "core/settings.h"

namespace podmon {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DefaultRedaction : public ::testing::Test {
 protected:
  Redactor redactor_;
  std::string redact(const std::string& text) const { return redactor_.redact(text); }
};

TEST_F(DefaultRedaction, AuthorizationHeadersKeepTheSchemeAndMaskTheCredential) {
  EXPECT_EQ(redact("GET /api Authorization: Bearer abc.def-123"), "GET /api Authorization: Bearer [REDACTED]");
  EXPECT_EQ(redact("authorization=Basic dXNlcjpwYXNz rest"), "authorization=Basic [REDACTED] rest");
  EXPECT_EQ(redact(R"({"Authorization":"Bearer s3cr3t"})"), R"({"Authorization":"Bearer [REDACTED]"})");
  EXPECT_EQ(redact("Authorization: xyz987"), "Authorization: [REDACTED]");
}

TEST_F(DefaultRedaction, AlreadyMaskedTextStaysAsItIs) {
  // Found by fuzz_redactor: the Authorization rule could skip its optional scheme and mask "Bearer".
  for (const std::string text : {"Authorization: Bearer [REDACTED]", "password=[REDACTED]", "bearer [REDACTED]",
                                 R"({"token":"[REDACTED]"})", "postgres://u:[REDACTED]@db/app"}) {
    EXPECT_EQ(redact(text), text);
  }
  // Found by fuzz_redactor: an AWS key inside an END line's label; masking twice gives the same.
  const std::string odd =
      "-----BEGIN EC PRIVATE KEY-----\nMZ0lwa\n-----END AKIAIOSFODNN7EXAMPLE PRIVATE KEY-----\nok\n";
  const std::string once = redact(odd);
  EXPECT_EQ(redact(once), once);
  EXPECT_FALSE(contains(once, "MZ0lwa"));
  EXPECT_TRUE(contains(once, "\nok\n"));
}

TEST_F(DefaultRedaction, OneRuleNeverHidesAnothersSecret) {
  // Found by fuzz_redactor: "Bearer" at the end of a line took the next line's "password=" as
  // its token, and the password rule then no longer saw its key.
  EXPECT_EQ(redact("retrying with Bearer\npassword=Zq7SecretValue\n"), "retrying with Bearer\npassword=[REDACTED]\n");
  for (const std::string text :
       {"Bearer password=Zq7SecretValue", "token: Bearer Zq7SecretValue", "Authorization: token=Zq7SecretValue"}) {
    EXPECT_FALSE(contains(redact(text), "Zq7SecretValue")) << text << " -> " << redact(text);
  }
}

TEST_F(DefaultRedaction, BearerTokensAnywhere) {
  EXPECT_EQ(redact("calling with bearer xxx"), "calling with bearer [REDACTED]");
  EXPECT_EQ(redact("token is Bearer ya29.a0AfH6SMB-long_token/x+y=="), "token is Bearer [REDACTED]");
  EXPECT_EQ(redact("BEARER QWERTY"), "BEARER [REDACTED]");
  // Prose about bearer tokens is kept.
  EXPECT_EQ(redact("using bearer token auth; the bearer of the lease"),
            "using bearer token auth; the bearer of the lease");
}

TEST_F(DefaultRedaction, JsonWebTokens) {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  EXPECT_EQ(redact("session " + jwt + " expired"), "session [REDACTED] expired");
  EXPECT_FALSE(contains(redact("cookie=" + jwt), "eyJ"));
}

TEST_F(DefaultRedaction, PasswordSecretAndTokenValuesInEveryCommonShape) {
  EXPECT_EQ(redact("connecting with password=hunter2 to db"), "connecting with password=[REDACTED] to db");
  EXPECT_EQ(redact("PASSWORD=hunter2"), "PASSWORD=[REDACTED]");
  EXPECT_EQ(redact("db_password: hunter2"), "db_password: [REDACTED]");
  EXPECT_EQ(redact(R"({"password":"hunter 2","user":"bob"})"), R"({"password":"[REDACTED]","user":"bob"})");
  EXPECT_EQ(redact(R"({"Password" : "a\"b"})"), R"({"Password" : "[REDACTED]"})");
  EXPECT_EQ(redact("secret='s p a c e'"), "secret='[REDACTED]'");
  EXPECT_EQ(redact("client_secret=abc&grant_type=x"), "client_secret=[REDACTED]&grant_type=x");
  EXPECT_EQ(redact("GET /cb?access_token=abc123&state=1"), "GET /cb?access_token=[REDACTED]&state=1");
  EXPECT_EQ(redact("token: t0k3n"), "token: [REDACTED]");
  EXPECT_EQ(redact("X-Api-Key: k-123"), "X-Api-Key: [REDACTED]");
  EXPECT_EQ(redact("apikey=k123 api_key=k456"), "apikey=[REDACTED] api_key=[REDACTED]");
  EXPECT_EQ(redact("url=postgres://app:pa55word@db:5432/app"), "url=postgres://app:[REDACTED]@db:5432/app");
}

TEST_F(DefaultRedaction, AwsKeys) {
  EXPECT_EQ(redact("using AKIAIOSFODNN7EXAMPLE for s3"), "using [REDACTED] for s3");
  EXPECT_EQ(redact("session ASIAY34FZKBOKMUTVV7A"), "session [REDACTED]");
  EXPECT_EQ(redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = [REDACTED]");
  EXPECT_EQ(redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG"), "AWS_SECRET_ACCESS_KEY=[REDACTED]");
  // Not a key: too short, or part of a longer word.
  EXPECT_EQ(redact("AKIA1234 and XAKIAIOSFODNN7EXAMPLEX"), "AKIA1234 and XAKIAIOSFODNN7EXAMPLEX");
}

TEST_F(DefaultRedaction, EscapedJsonInsideALogLineMasksOnlyTheValue) {
  EXPECT_EQ(redact(R"({"level":"info","body":"{\"user\":\"bob\",\"password\":\"hunter2\"}"})"),
            R"({"level":"info","body":"{\"user\":\"bob\",\"password\":\"[REDACTED]\"}"})");
  EXPECT_EQ(redact(R"(body="{\"api_key\": \"k-123 456\", \"n\": 1}")"),
            R"(body="{\"api_key\": \"[REDACTED]\", \"n\": 1}")");
  // A quote inside the secret is escaped twice (\\\"): the whole value is still masked.
  EXPECT_EQ(redact(R"("{\"token\":\"a\\\"b\"}")"), R"("{\"token\":\"[REDACTED]\"}")");
  // A value cut off by the end of the line is masked up to there.
  EXPECT_EQ(redact("\\\"secret\\\":\\\"Zq7Cut\nnext"), "\\\"secret\\\":\\\"[REDACTED]\nnext");
}

TEST_F(DefaultRedaction, RubyHashesMaskTheValue) {
  EXPECT_EQ(redact(R"({"user"=>"bob", "password"=>"hunter2"})"), R"({"user"=>"bob", "password"=>"[REDACTED]"})");
  EXPECT_EQ(redact(R"({:api_key => 'k 123', :id => 7})"), R"({:api_key => '[REDACTED]', :id => 7})");
  EXPECT_EQ(redact("params: {token=>abc123}"), "params: {token=>[REDACTED]}");
}

TEST_F(DefaultRedaction, EnvironmentStyleNames) {
  EXPECT_EQ(redact("SECRET_KEY=django-insecure-x1"), "SECRET_KEY=[REDACTED]");
  EXPECT_EQ(redact("SECRET_KEY_BASE=abc123"), "SECRET_KEY_BASE=[REDACTED]");
  EXPECT_EQ(redact("env DB_PASS=s3cret HOST=db"), "env DB_PASS=[REDACTED] HOST=db");
  EXPECT_EQ(redact("MYSQL_PWD=s3cret mysql -u root"), "MYSQL_PWD=[REDACTED] mysql -u root");
  EXPECT_EQ(redact("POSTGRES_PASSWORD=s3cret"), "POSTGRES_PASSWORD=[REDACTED]");
  EXPECT_EQ(redact("export REDIS_PASS=\"a b\""), "export REDIS_PASS=\"[REDACTED]\"");
  EXPECT_EQ(redact("pass=s3cret"), "pass=[REDACTED]");
}

TEST_F(DefaultRedaction, EnvironmentNamesThatAreNotSecretsStay) {
  for (const std::string text : {"PWD=/srv/app OLDPWD=/srv", "bypass=true compass=north", "passenger=3",
                                 "secret_keyring=/etc/keys", "KEY=value", "passes: 3"}) {
    EXPECT_EQ(redact(text), text);
  }
}

TEST_F(DefaultRedaction, UrlPasswordsWithAnEmptyUserOrAnAtSign) {
  EXPECT_EQ(redact("connecting to redis://:s3cret@cache:6379/0"), "connecting to redis://:[REDACTED]@cache:6379/0");
  EXPECT_EQ(redact("postgres://app:p@ss@w0rd@db:5432/app ok"), "postgres://app:[REDACTED]@db:5432/app ok");
  EXPECT_EQ(redact("smtp://me@example.com:pw@mail:587"), "smtp://me@example.com:[REDACTED]@mail:587");
  EXPECT_EQ(redact("amqp://guest:gu:est@rabbit/"), "amqp://guest:[REDACTED]@rabbit/");
}

TEST_F(DefaultRedaction, UrlsWithoutAPasswordStay) {
  for (const std::string text :
       {"GET http://service:8080/health?email=a@b.example 200", "https://mastodon.example/@user:1",
        "git@github.com:org/repo.git", "http://:8080/", "mailto:ops@example.com", "redis://cache:6379/0"}) {
    EXPECT_EQ(redact(text), text);
  }
}

TEST_F(DefaultRedaction, BareTokensOfWellKnownShapesKeepTheirPrefix) {
  EXPECT_EQ(redact("slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOp failed"), "slack xoxb-[REDACTED] failed");
  EXPECT_EQ(redact("user token xoxp-12345-67890-abcdef"), "user token xoxp-[REDACTED]");
  EXPECT_EQ(redact("gh ghp_16C7e42F292c6912E7710c838347Ae178B4a ok"), "gh ghp_[REDACTED] ok");
  EXPECT_EQ(redact("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789"), "github_pat_[REDACTED]");
  EXPECT_EQ(redact("clone with glpat-xxxxxxxxxxxxxxxxxxxx!"), "clone with glpat-[REDACTED]!");
  EXPECT_EQ(redact("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "stripe sk_live_[REDACTED]");
  EXPECT_EQ(redact("stripe rk_live_4eC39HqLyjWDarjtT1zdp7dc"), "stripe rk_live_[REDACTED]");
  EXPECT_EQ(redact("maps key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe&x=1"), "maps key=AIza[REDACTED]&x=1");
}

TEST_F(DefaultRedaction, WordsThatOnlyLookLikeTokenPrefixesStay) {
  for (const std::string text : {"xoxo-hugs", "ghp_ is GitHub's prefix", "the glpat- prefix", "sk_live_mode=false",
                                 "AIza is Google's key prefix", "desk_live_feed", "ask_live_agent"}) {
    EXPECT_EQ(redact(text), text);
  }
}

TEST_F(DefaultRedaction, CookieHeadersMaskEachValueAndKeepNamesAndAttributes) {
  EXPECT_EQ(redact("Cookie: session=abc123; theme=dark\nnext"), "Cookie: session=[REDACTED]; theme=[REDACTED]\nnext");
  EXPECT_EQ(redact("Set-Cookie: sid=s%3Aabc.def; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly"),
            "Set-Cookie: sid=[REDACTED]; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly");
  EXPECT_EQ(redact(R"({"headers":{"cookie":"a=1; b=2","accept":"*/*"}})"),
            R"({"headers":{"cookie":"a=[REDACTED]; b=[REDACTED]","accept":"*/*"}})");
  EXPECT_EQ(redact(R"(set-cookie: id="quoted value"; Secure)"), "set-cookie: id=[REDACTED]; Secure");
  EXPECT_EQ(redact("cookie: justavalue"), "cookie: [REDACTED]");
  EXPECT_EQ(redact("Cookie: a==b64==; x=1"), "Cookie: a=[REDACTED]; x=[REDACTED]");
  // Prose about cookies is kept.
  EXPECT_EQ(redact("cookie consent banner shown; cookies: 3"), "cookie consent banner shown; cookies: 3");
}

const char* kKeyBody =
    "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Z1Yh5kPzuyHbb5nRyjmE0Zk2\n"
    "n9VZbGL4wOHMG0EOa0QZBYnGfDRfUmzW9JnkZyQ2pNwxd3ZOxqQz9sxuONJZ0lwa\n";

TEST_F(DefaultRedaction, PrivateKeyBlocksKeepOnlyTheirMarkers) {
  std::string log = std::string("loading key\n-----BEGIN RSA PRIVATE KEY-----\n") + kKeyBody +
                    "-----END RSA PRIVATE KEY-----\nstarted\n";
  EXPECT_EQ(redact(log),
            "loading key\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\nstarted\n");
  std::string openssh =
      std::string("-----BEGIN OPENSSH PRIVATE KEY-----\n") + kKeyBody + "-----END OPENSSH PRIVATE KEY-----";
  EXPECT_FALSE(contains(redact(openssh), "MIIE"));
  // Public material is not a secret.
  std::string cert = std::string("-----BEGIN CERTIFICATE-----\n") + kKeyBody + "-----END CERTIFICATE-----\n";
  EXPECT_EQ(redact(cert), cert);
}

TEST_F(DefaultRedaction, PrivateKeyCutOffByTheEndOfTheLogTail) {
  std::string log = std::string("boom\n-----BEGIN PRIVATE KEY-----\n") + kKeyBody + "n9VZbGL4wOH";
  EXPECT_EQ(redact(log), "boom\n-----BEGIN PRIVATE KEY-----[REDACTED]");
}

TEST_F(DefaultRedaction, PrivateKeyWhoseBeginWasCutOffByTheStartOfTheLogTail) {
  std::string log = std::string(kKeyBody) + "-----END EC PRIVATE KEY-----\nnext line\n";
  EXPECT_EQ(redact(log), "[REDACTED]\n-----END EC PRIVATE KEY-----\nnext line\n");
  // Only the base64 lines right before END: an ordinary line above them is kept.
  std::string withLine = std::string("plain log line here\n") + kKeyBody + "-----END PRIVATE KEY-----";
  EXPECT_EQ(redact(withLine), "plain log line here\n[REDACTED]\n-----END PRIVATE KEY-----");
}

TEST_F(DefaultRedaction, LeavesOrdinaryLogLinesAlone) {
  const std::vector<std::string> lines = {
      "2024-05-01T10:00:00Z INFO server listening on :8080",
      "panic: runtime error: invalid memory address or nil pointer dereference",
      "java.lang.OutOfMemoryError: Java heap space\n\tat com.example.Main.main(Main.java:42)",
      "password reset requested for user 42",
      "max_tokens=100 tokenizer: bert secrets: 3 passwords rotated",
      "GET http://service:8080/health 200 12ms",
      "{\"level\":\"error\",\"msg\":\"connection refused\",\"retry\":3}",
      "-----BEGIN CERTIFICATE-----",
      "upload id=AKIA bucket=logs",
      "Ünïcödé 🚀 lines stay as they are",
  };
  for (const auto& line : lines) EXPECT_EQ(redact(line), line);
}

TEST_F(DefaultRedaction, LongLogsAreHandledWithoutBlowingTheStack) {
  // 1 MB of base64-looking lines before an END marker, a 1 MB quoted value, 1 MB of plain text.
  std::string lines;
  while (lines.size() < 1'000'000) lines += std::string(64, 'A') + "\n";
  std::string out = redact(lines + "-----END PRIVATE KEY-----\n");
  EXPECT_EQ(out, "[REDACTED]\n-----END PRIVATE KEY-----\n");
  std::string json = "{\"password\":\"" + std::string(1'000'000, 'x') + "\"}";
  EXPECT_EQ(redact(json), "{\"password\":\"[REDACTED]\"}");
  std::string plain(1'000'000, 'a');
  EXPECT_EQ(redact(plain), plain);
}

TEST(Redactor, ExtraPatternsMaskTheirFirstGroupOrTheWholeMatch) {
  Redactor redactor({"ssn=(\\d{3}-\\d{2}-\\d{4})", "sk_live_[0-9a-zA-Z]{8,}", "(?:x|y){2},z"});
  EXPECT_EQ(redactor.redact("user ssn=123-45-6789 ok"), "user ssn=[REDACTED] ok");
  EXPECT_EQ(redactor.redact("stripe sk_live_abcdef123456 key"), "stripe [REDACTED] key");
  EXPECT_EQ(redactor.redact("a xy,z b"), "a [REDACTED] b");
}

TEST(Redactor, BadExtraPatternNamesRedactPatterns) {
  try {
    Redactor redactor({"fine", "unclosed(group"});
    FAIL() << "no exception";
  } catch (const ConfigException& e) {
    EXPECT_TRUE(contains(e.message(), "REDACT_PATTERNS")) << e.message();
    EXPECT_TRUE(contains(e.message(), "pattern 2")) << e.message();
    EXPECT_TRUE(contains(e.message(), "unclosed(group")) << e.message();
  }
}

TEST(Redactor, CatastrophicExtraPatternFailsClosed) {
  // Exponential backtracking exceeds PCRE's match limit: the rest of the text is masked rather
  // than let through.
  Redactor redactor({"(a+)+$"});
  std::string text = "secret part " + std::string(40, 'a') + "!";
  std::string out = redactor.redact(text);
  EXPECT_FALSE(contains(out, std::string(40, 'a'))) << out;
  EXPECT_TRUE(contains(out, "[REDACTED]"));
}

RedactSettings configWith(const std::map<std::string, std::string>& env, const std::string& file = "") {
  std::vector<std::string> args;
  if (!file.empty()) args = {"--config", "podmon.yaml"};
  return Settings::from(Config::load(
                            args,
                            [&](const std::string& n) -> std::optional<std::string> {
                              auto it = env.find(n);
                              if (it == env.end()) return std::nullopt;
                              return it->second;
                            },
                            [&](const std::string&) { return file; }))
      .redact;
}

TEST(Redactor, FromConfigOnByDefaultOffWithRedactFalse) {
  auto on = Redactor::fromSettings(configWith({}));
  ASSERT_NE(on, nullptr);
  EXPECT_EQ(on->redact("password=x"), "password=[REDACTED]");
  EXPECT_EQ(Redactor::fromSettings(configWith({{"REDACT", "false"}})), nullptr);
}

TEST(Redactor, FromConfigReadsOnePatternPerLineAndAYamlList) {
  auto fromEnv = Redactor::fromSettings(configWith({{"REDACT_PATTERNS", "a{1,3}z\r\n\nq,q"}}));
  ASSERT_NE(fromEnv, nullptr);
  EXPECT_EQ(fromEnv->patternCount(), Redactor().patternCount() + 2);
  EXPECT_EQ(fromEnv->redact("aaz q,q"), "[REDACTED] [REDACTED]");
  auto fromFile = Redactor::fromSettings(configWith({}, "REDACT_PATTERNS:\n  - 'b{1,2}y'\n  - 'c,c'\n"));
  ASSERT_NE(fromFile, nullptr);
  EXPECT_EQ(fromFile->redact("bby c,c"), "[REDACTED] [REDACTED]");
  try {
    Redactor::fromSettings(configWith({{"REDACT_PATTERNS", "ok\n[unclosed"}}));
    FAIL() << "no exception";
  } catch (const ConfigException& e) {
    EXPECT_TRUE(contains(e.message(), "REDACT_PATTERNS: pattern 2 '[unclosed'")) << e.message();
  }
}

}  // namespace
}  // namespace podmon
