package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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

// setFromEnv gives every configuration flag of fs the value of its
// ASTRA_MOCK_* variable in environ (os.Environ's form), before the command
// line is parsed, so that a flag given on the command line wins. An empty
// variable counts as unset. Each usage text gets the variable's name. A
// value the flag refuses is an error naming the variable; an ASTRA_MOCK_*
// variable that stands for no configuration flag is reported on warn, since
// a misspelt name would otherwise be ignored without a word.
func setFromEnv(fs *flag.FlagSet, environ []string, warn io.Writer) error {
	env := map[string]string{}
	for _, kv := range environ {
		if name, value, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(name, envPrefix) {
			env[name] = value
		}
	}
	read := map[string]bool{}
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if isCommandFlag(f.Name) {
			return
		}
		name := envName(f.Name)
		read[name] = true
		f.Usage += " ($" + name + ")"
		value := env[name]
		if value == "" {
			return
		}
		if err := fs.Set(f.Name, value); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s=%q: invalid value for -%s: %w", name, value, f.Name, err))
		}
	})
	var unknown []string
	for name := range env {
		if !read[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		flagName := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(name, envPrefix), "_", "-"))
		if isCommandFlag(flagName) {
			fmt.Fprintf(warn, "astra-mock: ignoring %s: -%s is a command, give it on the command line\n", name, flagName)
			continue
		}
		fmt.Fprintf(warn, "astra-mock: ignoring %s: there is no flag -%s (run astra-mock -help for the flags)\n", name, flagName)
	}
	return errors.Join(errs...)
}
