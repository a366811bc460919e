// The config schema on a small schema built here: every kind of config error,
// defaults, canonical text and hash.
#include "core/config_schema.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace seglab {
namespace {

class ConfigSchemaTest : public ::testing::Test {
 protected:
  ConfigSchemaTest() : models_("model"), augmentations_("augmentation") {
    OptionList small;
    small.add_int("width", 16, "channels").range(1, 512);
    models_.add({"small", "a small model", small}, 1);
    OptionList big;
    big.add_text("pretrained", "", "weights file");
    models_.add({"big", "a big model", big}, 2);
    OptionList rotate;
    rotate.add_real("degrees", 15, "max angle").range(0, 180);
    augmentations_.add({"rotate", "rotate", rotate}, 0);
    augmentations_.add({"flip", "flip", {}}, 0);

    OptionList train;
    train.add_int("epochs", 10, "passes").range(1, 1000);
    train.add_real("lr", 1e-3, "rate").range(1e-9, 1);
    train.add_bool("verbose", false, "talk");
    train.add_text("mode", "fast", "mode").one_of({"fast", "slow"});
    schema_.add_section("train", "training", train);
    schema_.add_section("model", "model");
    schema_.add_selector("model.name", models_, "small", "which model");
    schema_.add_section("augment", "augmentation");
    schema_.add_list_selector("augment.pipeline", augmentations_, "flip", "pipeline");
  }

  Config resolve(const std::string& text) const { return schema_.resolve(parse_ini_text(text, "exp.ini")); }

  ConfigError error_of(const std::string& text) const {
    try {
      resolve(text);
    } catch (const ConfigError& e) {
      return e;
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return ConfigError("none");
  }

  Registry<int> models_;
  Registry<int> augmentations_;
  ConfigSchema schema_;
};

TEST_F(ConfigSchemaTest, DefaultsFillEveryOptionOfChosenEntries) {
  const Config c = resolve("");
  EXPECT_EQ(c.get_int("train.epochs"), 10);
  EXPECT_DOUBLE_EQ(c.get_real("train.lr"), 1e-3);
  EXPECT_FALSE(c.get_bool("train.verbose"));
  EXPECT_EQ(c.get_text("model.name"), "small");
  EXPECT_EQ(c.get_int("model.width"), 16);
  EXPECT_FALSE(c.has("model.pretrained"));  // option of the unchosen model
  EXPECT_EQ(c.get_list("augment.pipeline"), std::vector<std::string>{"flip"});
}

TEST_F(ConfigSchemaTest, ValuesAreConvertedAndCanonical) {
  const Config c = resolve(
      "[train]\nepochs = 3\nlr = 3e-4\nverbose = yes\n[model]\nname = big\npretrained = w.pth\n"
      "[augment]\npipeline = rotate ,flip\n[augment.rotate]\ndegrees = 90\n");
  EXPECT_EQ(c.get_int("train.epochs"), 3);
  EXPECT_DOUBLE_EQ(c.get_real("train.lr"), 3e-4);
  EXPECT_TRUE(c.get_bool("train.verbose"));
  EXPECT_EQ(c.get_text("model.pretrained"), "w.pth");
  EXPECT_DOUBLE_EQ(c.get_real("augment.rotate.degrees"), 90);
  EXPECT_EQ(c.get_text("augment.pipeline"), "rotate, flip");
  EXPECT_EQ(c.values().at("train.lr").text, "0.0003");
  EXPECT_EQ(c.values().at("train.verbose").text, "true");
}

TEST_F(ConfigSchemaTest, CanonicalTextRoundTripsToTheSameHash) {
  const Config c = resolve("[train]\nlr = 0.0030\n[model]\nname = big\n");
  const Config again = schema_.resolve(parse_ini_text(c.canonical_text(), "canonical"));
  EXPECT_EQ(c.canonical_text(), again.canonical_text());
  EXPECT_EQ(c.hash(), again.hash());
  EXPECT_EQ(c.hash().size(), 64u);
  // The same values written differently give the same configuration.
  EXPECT_EQ(c.hash(), resolve("[model]\nname=big\n[train]\nlr=3e-3\n").hash());
  EXPECT_NE(c.hash(), resolve("[model]\nname=big\n[train]\nlr=3e-2\n").hash());
  EXPECT_NE(c.canonical_text().find("[train]\nepochs = 10\nlr = 0.003\nmode = fast\nverbose = false\n"), std::string::npos)
      << c.canonical_text();
}

TEST_F(ConfigSchemaTest, UnknownKeySuggestsTheClosest) {
  const ConfigError e = error_of("[train]\nepoch = 3\n");
  EXPECT_EQ(e.input(), "exp.ini:2");
  EXPECT_NE(std::string(e.what()).find("unknown key 'train.epoch'"), std::string::npos);
  EXPECT_NE(e.remedy().find("did you mean 'train.epochs'"), std::string::npos) << e.remedy();
}

TEST_F(ConfigSchemaTest, UnknownSectionSuggestsTheClosest) {
  const ConfigError e = error_of("[trian]\nepochs = 3\n");
  EXPECT_NE(std::string(e.what()).find("unknown section [trian]"), std::string::npos) << e.what();
  EXPECT_NE(e.remedy().find("did you mean [train]"), std::string::npos) << e.remedy();
}

TEST_F(ConfigSchemaTest, OptionOfAnUnchosenEntryIsExplained) {
  const ConfigError e = error_of("[model]\npretrained = w.pth\n");
  EXPECT_NE(std::string(e.what()).find("option of model.name = big"), std::string::npos) << e.what();
}

TEST_F(ConfigSchemaTest, UnknownRegistryNameListsKnownNamesAndClosest) {
  const ConfigError e = error_of("[model]\nname = smal\n");
  EXPECT_NE(std::string(e.what()).find("unknown model 'smal'"), std::string::npos) << e.what();
  EXPECT_NE(e.input().find("exp.ini:2"), std::string::npos) << e.input();
  EXPECT_NE(e.remedy().find("did you mean 'small'"), std::string::npos);
  EXPECT_NE(e.remedy().find("small, big"), std::string::npos);
  EXPECT_THROW(resolve("[augment]\npipeline = flip, rotat\n"), ConfigError);
}

TEST_F(ConfigSchemaTest, BadTypesNameKeyAndWhatIsAllowed) {
  ConfigError e = error_of("[train]\nepochs = ten\n");
  EXPECT_EQ(e.input(), "exp.ini:2");
  EXPECT_NE(e.remedy().find("train.epochs must be an integer from 1 to 1000"), std::string::npos) << e.remedy();
  EXPECT_THROW(resolve("[train]\nepochs = 2.5\n"), ConfigError);
  EXPECT_THROW(resolve("[train]\nlr = 1e-3x\n"), ConfigError);
  EXPECT_THROW(resolve("[train]\nverbose = maybe\n"), ConfigError);
  EXPECT_THROW(resolve("[train]\nepochs =\n"), ConfigError);
}

TEST_F(ConfigSchemaTest, OutOfRangeAndNotAChoice) {
  ConfigError e = error_of("[train]\nepochs = 0\n");
  EXPECT_NE(e.remedy().find("from 1 to 1000"), std::string::npos);
  e = error_of("[train]\nmode = medium\n");
  EXPECT_NE(e.remedy().find("one of: fast, slow"), std::string::npos) << e.remedy();
  EXPECT_THROW(resolve("[augment]\npipeline = rotate\n[augment.rotate]\ndegrees = 200\n"), ConfigError);
}

TEST_F(ConfigSchemaTest, OverridesWinAndAreNamedInErrors) {
  RawConfig raw = parse_ini_text("[train]\nepochs = 3\n", "exp.ini");
  raw.apply_override("train.epochs=7");
  EXPECT_EQ(schema_.resolve(raw).get_int("train.epochs"), 7);
  raw.apply_override("train.epochs=-1");
  try {
    schema_.resolve(raw);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.input(), "--set train.epochs");
  }
}

TEST(OptionSpec, RequiredOptionWithoutValueIsAnError) {
  OptionList options;
  options.add_text("root", "", "folder").must_be_given();
  ConfigSchema schema;
  schema.add_section("data", "data", options);
  EXPECT_THROW(schema.resolve(parse_ini_text("", "x.ini")), ConfigError);
  EXPECT_EQ(schema.resolve(parse_ini_text("[data]\nroot = d\n", "x.ini")).get_text("data.root"), "d");
}

}  // namespace
}  // namespace seglab
