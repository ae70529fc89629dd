package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// envPrefix starts the name of every environment variable astra-mock
// reads: flag -shutdown-timeout is ASTRA_MOCK_SHUTDOWN_TIMEOUT.
const envPrefix = "ASTRA_MOCK_"

// envName is the environment variable that stands for flag name.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// isCommandFlag reports whether the flag makes astra-mock do something
// else than serve (print its version, check a running mock's health).
// Those are not read from the environment: a variable left in a
// container's environment would turn every start into that command.
func isCommandFlag(name string) bool {
	return name == "version" || name == "healthcheck"
}

// nameEnvInUsage adds to the usage text of every configuration flag of fs
// the name of its variable, for -help.
func nameEnvInUsage(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if !isCommandFlag(f.Name) {
			f.Usage += " ($" + envName(f.Name) + ")"
		}
	})
}

// setFromEnv gives every configuration flag of fs that the command line
// did not set (call it after fs.Parse) the value of its ASTRA_MOCK_*
// variable in environ (os.Environ's form), and returns the names of the
// flags it set. An empty variable counts as unset. A value the flag refuses
// is an error naming the variable; an ASTRA_MOCK_* variable that stands for
// no configuration flag is reported on warn, since a misspelt name would
// otherwise be ignored without a word.
func setFromEnv(fs *flag.FlagSet, environ []string, warn io.Writer) (map[string]bool, error) {
	env := map[string]string{}
	for _, kv := range environ {
		if name, value, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(name, envPrefix) {
			env[name] = value
		}
	}
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	fromEnv := map[string]bool{}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(env)) {
		flagName := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(name, envPrefix), "_", "-"))
		switch value := env[name]; {
		case isCommandFlag(flagName):
			fmt.Fprintf(warn, "astra-mock: ignoring %s: -%s is a command, give it on the command line\n", name, flagName)
		case fs.Lookup(flagName) == nil || envName(flagName) != name:
			fmt.Fprintf(warn, "astra-mock: ignoring %s: there is no flag -%s (run astra-mock -help for the flags)\n", name, flagName)
		case value == "" || onCommandLine[flagName]:
		default:
			if err := fs.Set(flagName, value); err != nil {
				errs = append(errs, fmt.Errorf("invalid value %q for %s: %w", value, name, err))
			}
			fromEnv[flagName] = true
		}
	}
	return fromEnv, errors.Join(errs...)
}

// name is how the user gave flag f: its ASTRA_MOCK_* variable when its
// value came from the environment, else -f. Error messages name a setting
// this way, so that the user finds what to change.
func (o *options) name(f string) string {
	if o.fromEnv[f] {
		return envName(f)
	}
	return "-" + f
}
