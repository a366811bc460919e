#include "core/ini_reader.h"

#include <gtest/gtest.h>

#include "core/config_schema.h"
#include "core/error.h"

namespace seglab {

TEST(IniReader, ReadsSectionsKeysAndBothCommentStyles) {
  const RawConfig raw = parse_ini_text(
      "; leading comment\n"
      "[data]\n"
      "adapter = folder   ; inline comment\n"
      "root = a#b          # hash comment after whitespace\n"
      "\n"
      "[augment.rotate]\n"
      "degrees=30\n",
      "x.ini");
  ASSERT_EQ(raw.entries.size(), 3u);
  EXPECT_EQ(raw.find("data.adapter")->value, "folder");
  EXPECT_EQ(raw.find("data.root")->value, "a#b");
  EXPECT_EQ(raw.find("augment.rotate.degrees")->value, "30");
  EXPECT_EQ(raw.find("data.adapter")->origin, "x.ini:3");
}

TEST(IniReader, DuplicateKeyNamesBothLines) {
  try {
    parse_ini_text("[train]\nepochs = 1\nepochs = 2\n", "x.ini");
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.input(), "x.ini:3");
    EXPECT_NE(std::string(e.what()).find("x.ini:2"), std::string::npos) << e.what();
  }
}

TEST(IniReader, SyntaxErrorsNameTheLine) {
  EXPECT_THROW(parse_ini_text("epochs = 1\n", "x.ini"), ConfigError);           // before any section
  EXPECT_THROW(parse_ini_text("[train\nepochs = 1\n", "x.ini"), ConfigError);   // unclosed header
  EXPECT_THROW(parse_ini_text("[train]\njust words\n", "x.ini"), ConfigError);  // no '='
  try {
    parse_ini_text("[train]\n\njust words\n", "x.ini");
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.input(), "x.ini:3");
  }
}

TEST(IniReader, MissingFileIsAConfigErrorNamingIt) {
  try {
    read_ini_file("/nonexistent/exp.ini");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.input(), "/nonexistent/exp.ini");
  }
}

TEST(IniReader, OverridesReplaceOrAdd) {
  RawConfig raw = parse_ini_text("[train]\nepochs = 1\n", "x.ini");
  raw.apply_override("train.epochs=5");
  raw.apply_override(" train.lr = 0.01 ");
  EXPECT_EQ(raw.find("train.epochs")->value, "5");
  EXPECT_EQ(raw.find("train.epochs")->origin, "--set");
  EXPECT_EQ(raw.find("train.lr")->value, "0.01");
  EXPECT_THROW(raw.apply_override("epochs=5"), ConfigError);
  EXPECT_THROW(raw.apply_override("train.epochs"), ConfigError);
}

// Found by fuzz/ini_reader_fuzzer: "root =;a" kept ";a" as the value, which the
// recorded "root = ;a" then read back as a comment.
TEST(IniReader, ACommentRightAfterTheEqualsSignLeavesTheValueEmpty) {
  const RawConfig raw = parse_ini_text("[data]\nroot =;a\nname =#b\nsplit = a;b#c\n", "x.ini");
  EXPECT_EQ(raw.find("data.root")->value, "");
  EXPECT_EQ(raw.find("data.name")->value, "");
  EXPECT_EQ(raw.find("data.split")->value, "a;b#c");
}

TEST(IniReader, AValueTheRecordedConfigCouldNotHoldIsRefusedNamingTheKey) {
  RawConfig raw = parse_ini_text("[data]\nroot = x\n", "x.ini");
  for (const char* bad : {"data.root=;a", "data.root=#a", "data.root=a ;b", "data.root=a\t#b", "data.root=a\nb"}) {
    try {
      raw.apply_override(bad);
      FAIL() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.input(), "--set");
      EXPECT_NE(std::string(e.what()).find("'data.root' cannot be recorded"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(raw.find("data.root")->value, "x");  // a refused override changes nothing
  raw.apply_override("data.root=a;b#c");
  EXPECT_EQ(raw.find("data.root")->value, "a;b#c");
}

// Found by fuzz/ini_reader_fuzzer: the list "a,#b" was recorded as "a, #b",
// which reads back as "a" and a comment.
TEST(IniReader, AListItemTheRecordedConfigWouldReadAsACommentIsRefused) {
  ConfigSchema schema;
  OptionList data;
  data.add_list("sizes", "", "sizes");
  schema.add_section("data", "data", data);
  for (const char* bad : {"a,#b", "a,;b", ",#a"}) {
    try {
      schema.resolve(parse_ini_text(std::string("[data]\nsizes = ") + bad + "\n", "x.ini"));
      FAIL() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("is not allowed for data.sizes"), std::string::npos) << e.what();
      EXPECT_NE(e.remedy().find("whose items do not start with ';' or '#'"), std::string::npos) << e.remedy();
    }
  }
  // Inside an item the characters are kept, and the recorded text reads back the same.
  const Config config = schema.resolve(parse_ini_text("[data]\nsizes = a#b,c;d\n", "x.ini"));
  EXPECT_EQ(config.get_list("data.sizes"), (std::vector<std::string>{"a#b", "c;d"}));
  EXPECT_EQ(schema.resolve(parse_ini_text(config.canonical_text(), "again.ini")).canonical_text(),
            config.canonical_text());
}

}  // namespace seglab
