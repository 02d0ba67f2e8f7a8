// PolicyStore reload semantics, the file watcher and SIGHUP.
#include "policies/policy_store.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "policies/api_key_hash.h"
#include "policies/policy_file_watcher.h"
#include "policies/reload_on_sighup.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

std::string PolicyWithTenant(absl::string_view name) {
  return absl::StrCat("tenants:\n  - name: ", name, "\n    api_keys:\n      - sha256: ", HashApiKey(name), "\n");
}

// Polls `done` every millisecond for up to five seconds.
template <typename F>
bool WaitFor(F done) {
  for (int i = 0; i < 5000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

TEST(PolicyStore, OpenFailsOnABadFirstFile) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", "tenants: 3\n");
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PolicyStore::Open(dir.File("none.yaml")).status().code(), absl::StatusCode::kNotFound);
}

TEST(PolicyStore, ReloadSwapsOnSuccessAndKeepsTheOldPolicyOnError) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", PolicyWithTenant("first"));
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  ASSERT_TRUE(store.ok()) << store.status();
  std::shared_ptr<const Policy> held = (*store)->Current();
  EXPECT_EQ((*store)->generation(), 1);

  dir.Write("p.yaml", PolicyWithTenant("second"));
  ASSERT_TRUE((*store)->Reload().ok());
  EXPECT_EQ((*store)->Current()->tenants[0].name, "second");
  EXPECT_EQ((*store)->generation(), 2);
  EXPECT_EQ(held->tenants[0].name, "first");  // a request in flight keeps the policy it began with

  dir.Write("p.yaml", "tenants:\n  - name: third\n    api_keys: []\n");
  const absl::Status s = (*store)->Reload();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("tenants[0].api_keys: required"), std::string::npos) << s;
  EXPECT_EQ((*store)->Current()->tenants[0].name, "second");
  EXPECT_EQ((*store)->generation(), 2);
  EXPECT_EQ((*store)->last_error(), s);

  std::remove(dir.File("p.yaml").c_str());
  EXPECT_EQ((*store)->Reload().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->Current()->tenants[0].name, "second");
}

TEST(PolicyStore, ReadersNeverSeeATornPolicyDuringReloads) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", PolicyWithTenant("a"));
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  ASSERT_TRUE(store.ok());
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto p = (*store)->Current();
      ASSERT_EQ(p->tenants.size(), 1u);
      ASSERT_TRUE(p->Authenticate(p->tenants[0].name).ok());
    }
  });
  for (int i = 0; i < 50; ++i) {
    dir.Write("p.yaml", PolicyWithTenant(i % 2 ? "a" : "bb"));
    ASSERT_TRUE((*store)->Reload().ok());
  }
  stop = true;
  reader.join();
}

TEST(PolicyFileWatcher, ReloadsWhenTheFileChanges) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", PolicyWithTenant("before"));
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  ASSERT_TRUE(store.ok());
  std::atomic<int> failures{0};
  PolicyFileWatcher watcher(**store, absl::Milliseconds(5), [&](const absl::Status& s) {
    if (!s.ok()) ++failures;
  });

  dir.Write("p.yaml", "tenants: [");  // a bad edit: refused, the old policy stays
  ASSERT_TRUE(WaitFor([&] { return failures.load() > 0; }));
  EXPECT_EQ((*store)->Current()->tenants[0].name, "before");

  dir.Write("p.yaml", PolicyWithTenant("after-the-edit"));
  ASSERT_TRUE(WaitFor([&] { return (*store)->Current()->tenants[0].name == "after-the-edit"; }));

  // An editor's save: write a new file, rename it over the old one.
  dir.Write("p.yaml.tmp", PolicyWithTenant("renamed"));
  ASSERT_EQ(std::rename(dir.File("p.yaml.tmp").c_str(), dir.File("p.yaml").c_str()), 0);
  ASSERT_TRUE(WaitFor([&] { return (*store)->Current()->tenants[0].name == "renamed"; }));
}

TEST(PolicyFileWatcher, RequestReloadAndPromptShutdown) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", PolicyWithTenant("one"));
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  ASSERT_TRUE(store.ok());
  const auto start = std::chrono::steady_clock::now();
  {
    PolicyFileWatcher watcher(**store, absl::Hours(1));  // no polling within the test
    watcher.RequestReload();
    ASSERT_TRUE(WaitFor([&] { return (*store)->generation() == 2; }));
  }  // the destructor must not wait out the hour
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ReloadOnSighup, RunsTheCallbackOnSighupAndRestoresTheHandler) {
  testing::ScratchDir dir;
  dir.Write("p.yaml", PolicyWithTenant("old"));
  auto store = PolicyStore::Open(dir.File("p.yaml"));
  ASSERT_TRUE(store.ok());
  {
    PolicyFileWatcher watcher(**store, absl::Hours(1));
    auto hup = ReloadOnSighup::Install([&] { watcher.RequestReload(); });
    ASSERT_TRUE(hup.ok()) << hup.status();
    EXPECT_EQ(ReloadOnSighup::Install([] {}).status().code(), absl::StatusCode::kFailedPrecondition);

    dir.Write("p.yaml", PolicyWithTenant("new"));
    ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
    ASSERT_TRUE(WaitFor([&] { return (*store)->Current()->tenants[0].name == "new"; }));
  }
  struct sigaction now {};
  ASSERT_EQ(::sigaction(SIGHUP, nullptr, &now), 0);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
  // And a second one may be installed once the first is gone.
  auto again = ReloadOnSighup::Install([] {});
  EXPECT_TRUE(again.ok());
}

}  // namespace
}  // namespace switchyard
