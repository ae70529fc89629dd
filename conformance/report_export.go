package conformance

import (
	"fmt"
	"io"
)

// WriteReport writes results, as Run writes its reports, in format: "junit"
// (a JUnit XML report, the Jenkins schema) or "cucumber" (Cucumber JSON).
// The explorer (package conformance/explore) reports its property
// families through it, each as a scenario.
func WriteReport(w io.Writer, format string, results []ScenarioResult) error {
	switch format {
	case "junit":
		return writeJUnit(w, results)
	case "cucumber":
		return writeCucumber(w, results)
	}
	return fmt.Errorf("conformance: no report format %q (junit, cucumber)", format)
}

// TokenKind returns the type and version every token request body carries,
// read from schemas/types.json.
func TokenKind() (typ, version string, err error) { return tokenKind() }
