# The labels of every test, by rules over the test's name. Read twice: by
# CMake, for the tests registered by name (add_test), and by ctest, for the
# tests gtest_discover_tests finds after the build (tests/CMakeLists.txt adds
# the include). A test that no rule labels stops the build
# (cmake/check_test_labels.cmake). docs/testing.md explains the labels.
#
# Each test has exactly one kind:
#   unit         runs in the test process alone: no child process, no Python,
#                under a second. `ctest -L unit` is the inner loop.
#   integration  starts a program: the seglab binary, a Python reference
#                (torch, torchvision, scipy, PIL), gnuplot, node.
#   external     starts a service or a large tool the setup script installs:
#                Slurm, PostgreSQL, Chromium, LaTeX.
# and may have these as well:
#   slow         over 10 s in the release build (ctest -j2 on 2 idle cores).
#   sanitize     the subset CI runs under ASan + UBSan (scripts/sanitize.sh
#                --subset): the parsers, the store, the data pipeline, the
#                .pth reader, the web request handling and the
#                malformed-input corpus. The whole suite sanitized is
#                scripts/test.sh --deep.
#
# Rules: a CMake regular expression over the full test name (a
# parameterized test's name ends in "  # GetParam() = ..."), then its labels
# joined by commas. The first rule that matches wins, so a rule for one test goes
# above the rule for its suite.
set(SEGLAB_LABEL_RULES
  # --- core_tests: in-process; the boundary metrics check against scipy
  "^BoundaryMetrics\\.(MultiClassScoresPerClassAndIgnoredPixels|HandCountedNsdAndBoundaryIou|BandWidthRoundsHalfToEvenAsPython|BandsMatchTheReferenceRecipeWithOpenCv)$" "unit"
  "^BoundaryMetrics\\."                                            "integration"
  "^(IniReader|ConfigSchemaTest|OptionSpec|Text)\\."               "unit,sanitize"
  "^(Registry|Metrics|Rng|LrSchedule|ProgressBar|Sha256|Tensor)\\." "unit"
  # --- datasets_tests (no LibTorch): the data pipeline; LabelMe drawn by PIL
  "^LabelMeRasterize\\."                                           "integration,sanitize"
  "^Adapters\\.ListDatasets"                                       "integration"
  "^(Adapters|Augmentation|BatchLoader|CsvTable|FolderAdapter|ImageIo|IsicAdapter|LabelMeAdapter|LabelMeAnnotationFile|LabelMeBadInput|LabelMeBase64|LabelMeConverter|Ph2Adapter|PreparedSamples|Split|SyntheticAdapter|TestSplit)\\." "unit,sanitize"
  # --- run_data_tests: the engine's data preparation (loads LibTorch)
  "^(BadSamples|SampleCache)\\."                                   "integration,sanitize"
  # --- tracking_tests: the store; forked writers, h5dump and grep are children
  "^RunFile\\.BestIsALinkWhenLastIsBest$"                          "integration,sanitize"
  "^RunFileState\\.PerImageTablesAndUnitsAreReadableWithH5dump$"   "integration,sanitize"
  "^([A-Za-z0-9_]+/)?ConcurrentWriters\\."                                  "integration,sanitize"
  "^([A-Za-z0-9_]+/)?(Catalog[A-Za-z0-9_]*|SqliteCatalog|RunFile|RunFileState|RunQuery|RunWriter|SweepCatalog)\\." "unit,sanitize"
  "^StoreLocation\\."                                              "unit"
  "^tracking_tests\\.shared_server$"                               "external,sanitize"
  # --- models_tests, backends_tests, cuda_tests: whole networks, LibTorch
  "^PthFileTest\\."                                                "integration,sanitize"
  "^([A-Za-z0-9_]+/)?(Graph|UNetGraph|ParameterInit|EncoderReference|EncoderWeights|DecoderOptions|DecoderOptionsTraining)\\." "integration"
  "^Encoders/OneDnnEncoderParity\\.[A-Za-z0-9_]+/resnet34([^A-Za-z0-9_]|$)" "integration,slow"
  "^OneDnnEncoderTraining\\."                                      "integration,slow"
  "^OneDnnTraining\\.EveryOptimizerVariantUpdatesLikeLibTorch$"    "integration,slow"
  "^([A-Za-z0-9_]+/)?(OneDnn[A-Za-z0-9_]*|LibTorch[A-Za-z0-9_]*|Cuda)\\."                     "integration"
  # --- engine_tests: the seglab binary end to end
  "^CrashRecovery\\.KilledAnywhereThenResumedEqualsAnUninterruptedRun$" "integration,slow"
  "^AllEncoders/EncoderTraining\\.LossFallsOnRealImages/(resnet50|vgg16_bn)([^A-Za-z0-9_]|$)" "integration,slow"
  "^EncoderTraining\\.RecordsTheWeightsFilesHashAndReproduceReportsAChangedOrMissingFile$" "integration,slow"
  "^([A-Za-z0-9_]+/)?EncoderTraining\\."                          "integration"
  "^CrossValidation\\.ASweepOverFoldsSharesOneTestPartPoolsOutOfFoldAndEnsemblesOnTheTestPart$" "integration,slow"
  "^PostgresStoreCli\\."                                           "external"
  "^Eval\\.ScoresRealImagesAtTheirOriginalResolutionInPixelsAndMm$" "integration,slow"
  "^ReportCli\\.TwoVariantsTimesTwoFoldsArePooledWithIntervalsTestsAndMethods$" "integration,slow"
  "^EvalFigures\\.PgfplotsFilesCompileWithPdflatex$"               "external"
  "^EvalName\\."                                                   "unit"
  # (BenchStatistics is in-process, but engine_tests loads LibTorch: over a second)
  "^BenchStatistics\\."                                            "integration"
  "^(BenchCli|EvalFigures)\\."                                     "integration"
  "^(BadInput|Cli|CrashRecovery|CrossValidation|SplitProtocol|DataCommand|Eval|EvalCatalog|RealDataTraining|ReportCli|LabelMe2SegCli|LabelMeTraining|MaskPostprocess|OneDnnCli|Reproduce|RunsCli|ServeCommand|Sparkline|SweepCli|SweepExpansion|SweepState|TestTimeAugmentation|ThresholdSearch)\\." "integration"
  # --- the generated reference pages, printed by the seglab binary
  "^generated_docs_(cli|config)$"                                  "integration"
  "^docs_links_and_commands$"                                      "integration"
  # --- cluster_tests: a real single-node Slurm
  "^SlurmSweep\\.UnknownPartitionReportsSbatchsMessage$"           "external"
  "^SlurmSweep\\."                                                 "external,slow"
  "^SlurmOptions\\."                                               "integration"
  # --- reports_tests: figures by gnuplot, tables by pdflatex, the web server in-process
  "^ReportWriterTest\\.(GroupsSeedsIntoVariants|EmptySelectionIsAnError|WhereSelectsRunsByParam)$" "unit"
  "^ReportWriterTest\\.(PgfplotsFiguresCompile|TableHasMeansStdsAndBoldBest)$" "external"
  "^(ReportWriterTest|ReportCurveBands)\\."                        "integration"
  "^(ReportStatistics|FigureTicks|ReportVariants)\\."               "unit"
  "^EvalChoice\\."                                                 "unit"
  "^EvalChoiceReport\\."                                           "integration"
  "^ReportStatisticsFiles\\.TableMethodsAndFiguresCompileWithPdflatex$" "external"
  "^(ReportStatisticsFiles|ReportStatisticsReference)\\."          "integration"
  "^ResultsTable\\.(LatexCompilesWithPdflatexAndShowsItsNumbers|LatexWithIntervalsFitsTheTextWidth)$" "external"
  "^BenchEfficiency\\.InferenceTimeIsTheRecordedBatchOneMedianOnTheMostCommonSetup$" "integration"
  "^(BenchEfficiency|EpochAxis)\\."                                "unit"
  "^(ResultsTable|Statistics)\\."                                  "unit"
  "^StatisticsReference\\."                                        "integration"
  "^(Bootstrap|ScoreSummary|Wilcoxon|Holm|PairedDifference|RankStability)\\." "unit"
  "^WebSecurity\\.MalformedRequestsGet400$"                        "integration,slow,sanitize"
  "^(PredictQueue|WebApi|WebSecurity)\\."                          "unit,sanitize"
  "^WebBrowser\\."                                                 "external,slow"
  # --- one-process executables: the malformed-input corpus with the limits and
  # fault-injection tests (seglab children), the saved fuzz inputs
  "^robustness_tests$"                                             "integration,slow,sanitize"
  "^fuzz_regressions\\."                                           "unit,sanitize"
)

# The labels (a CMake list) of the test `name`, or "" when no rule matches.
function(seglab_labels_of name out_var)
  set(rules ${SEGLAB_LABEL_RULES})
  list(LENGTH rules count)
  set(labels "")
  if(count GREATER 0)
    math(EXPR last "${count} - 2")
    foreach(i RANGE 0 ${last} 2)
      list(GET rules ${i} pattern)
      if(name MATCHES "${pattern}")
        math(EXPR j "${i} + 1")
        list(GET rules ${j} joined)
        string(REPLACE "," ";" labels "${joined}")
        break()
      endif()
    endforeach()
  endif()
  set(${out_var} "${labels}" PARENT_SCOPE)
endfunction()

# In ctest: labels every test of the executables in
# SEGLAB_DISCOVERED_TEST_TARGETS (their <target>_TESTS lists come from
# gtest_discover_tests' files, included before this one).
function(seglab_label_discovered_tests)
  foreach(target IN LISTS SEGLAB_DISCOVERED_TEST_TARGETS)
    foreach(test IN LISTS ${target}_TESTS)
      seglab_labels_of("${test}" labels)
      if(labels)
        set_tests_properties("${test}" PROPERTIES LABELS "${labels}")
      endif()
    endforeach()
  endforeach()
endfunction()
