// Every command prepares its config the same way (issue 12 item 1): load,
// overrides, logger, full validation. A site profile whose selector is outside
// the selector language is a config error, exit 2 with the key named, for the
// commands that do not even parse pages (export, stats, reparse) as for crawl;
// nothing is done (the database is not created).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"

namespace {

using testsupport::RunPodcrawl;

class CommandConfigTest : public testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::ofstream(config_) << R"json({"profiles": [{"name": "x",
        "host": "x.org", "fields": {"show_name": "h1[unclosed"}}]})json";
  }

  testsupport::TempDir dir_;
  const std::string config_ = dir_.File("c.json");
  const std::string db_ = dir_.File("p.db");
};

TEST_P(CommandConfigTest, InvalidProfileSelectorExits2) {
  std::vector<std::string> args = {GetParam(), "--config", config_, "--db",
                                   db_};
  if (std::string(GetParam()) == "crawl") args.emplace_back("http://x.org/");
  auto r = RunPodcrawl(args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(
      r.err.find("podcrawl: error: profiles[0].fields.show_name.selector: "
                 "not a valid selector"),
      std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(std::filesystem::exists(db_));
}

INSTANTIATE_TEST_SUITE_P(Commands, CommandConfigTest,
                         testing::Values("export", "stats", "reparse",
                                         "crawl"));

// reparse used to build its parse options by hand and run with an invalid
// profile over an existing database: it now stops before opening it.
TEST(ReparseConfigTest, InvalidProfileLeavesAnExistingDatabaseAlone) {
  testsupport::TempDir dir;
  const std::string db = dir.File("p.db");
  ASSERT_EQ(RunPodcrawl({"reparse", "--db", db, "-q"}).exit_code, 0);
  const auto before = std::filesystem::last_write_time(db);
  const std::string config = dir.File("c.json");
  std::ofstream(config) << R"json({"profiles": [{"name": "x",
      "host": "x.org", "fields": {"description": "p[x"}}]})json";
  auto r = RunPodcrawl({"reparse", "--db", db, "--config", config});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("profiles[0].fields.description.selector"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::filesystem::last_write_time(db), before);
}

// A setting flag (Command::AddSettingFlag) replaces the config file's value
// before validation, and --help shows the built-in default.
TEST(SettingFlagTest, FlagOverridesTheFileBeforeValidation) {
  testsupport::TempDir dir;
  const std::string config = dir.File("c.json");
  std::ofstream(config) << R"json({"crawl": {"per_host": 0},
      "fetch": {"max_redirects": 99}})json";
  const std::string db = dir.File("p.db");
  auto bad = RunPodcrawl({"crawl", "--config", config, "--db", db, "--per-host",
                          "3", "http://127.0.0.1:1/"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  // per_host was replaced; max_redirects, still the file's, is reported.
  EXPECT_NE(bad.err.find("fetch.max_redirects: must be between 0 and 50"),
            std::string::npos)
      << bad.err;
  auto wrong = RunPodcrawl({"crawl", "--config", config, "--db", db,
                            "--max-redirects", "5", "http://127.0.0.1:1/"});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_NE(wrong.err.find("crawl.per_host: must be between 1 and 256, got 0"),
            std::string::npos)
      << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(db));

  auto help = RunPodcrawl({"crawl", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--concurrency INT=16"), std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("--max-redirects INT=10"), std::string::npos)
      << help.out;
}

// Sets an environment variable for the podcrawl processes a test starts.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  }
  ~ScopedEnv() { unsetenv(name_); }  // NOLINT(concurrency-mt-unsafe)
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// PODCRAWL_CONFIG stands for --config and PODCRAWL_DB for the database when
// no --db is given (over the config's db); the flags still win.
TEST(EnvironmentTest, PodcrawlConfigAndPodcrawlDb) {
  testsupport::TempDir dir;
  const std::string config = dir.File("c.json");
  std::ofstream(config) << R"json({"db": ")json" << dir.File("from-config.db")
                        << R"json(", "crawl": {"per_host": 0}})json";
  {
    ScopedEnv env("PODCRAWL_CONFIG", config);
    auto r = RunPodcrawl({"stats"});
    EXPECT_EQ(r.exit_code, 2) << r.err;  // the config was read
    EXPECT_NE(r.err.find("crawl.per_host"), std::string::npos) << r.err;
  }
  {
    ScopedEnv env("PODCRAWL_CONFIG", dir.File("missing.json"));
    auto r = RunPodcrawl({"stats"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing.json (from PODCRAWL_CONFIG)"),
              std::string::npos)
        << r.err;
  }
  std::ofstream(config) << R"json({"db": ")json" << dir.File("from-config.db")
                        << R"json("})json";
  ASSERT_EQ(RunPodcrawl({"reparse", "--config", config, "-q"}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir.File("from-config.db")));
  {
    ScopedEnv env("PODCRAWL_DB", dir.File("from-env.db"));
    ASSERT_EQ(RunPodcrawl({"reparse", "--config", config, "-q"}).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(dir.File("from-env.db")));
    ASSERT_EQ(RunPodcrawl({"reparse", "--db", dir.File("from-flag.db"), "-q"})
                  .exit_code,
              0);
    EXPECT_TRUE(std::filesystem::exists(dir.File("from-flag.db")));
  }
}

// A command that only reads says what to do about a missing database.
TEST(MissingDatabaseTest, ReadersSayHowToCreateIt) {
  testsupport::TempDir dir;
  const std::string db = dir.File("missing.db");
  for (const char* command : {"stats", "export", "prune"}) {
    auto r = RunPodcrawl({command, "--db", db});
    EXPECT_EQ(r.exit_code, 4) << command;
    EXPECT_NE(r.err.find(db + " does not exist (podcrawl crawl or fetch --db "
                              "creates it)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(db));
}

}  // namespace
