package dev.offramp.cascade.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The cascade module is the core both sides share: it imports neither the exporter nor the runtime
 * (nor the benchmarks), and its packages form no cycle.
 */
@AnalyzeClasses(
    packages = "dev.offramp.cascade",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CascadeArchitectureTest {
  @ArchTest
  static final ArchRule cascadeImportsNeitherExporterNorRuntime =
      noClasses()
          .that()
          .resideInAPackage("dev.offramp.cascade..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.offramp.exporter..", "dev.offramp.runtime..", "dev.offramp.benchmarks..");

  @ArchTest
  static final ArchRule cascadePackagesHaveNoCycles =
      slices().matching("dev.offramp.cascade.(*)..").should().beFreeOfCycles();
}
