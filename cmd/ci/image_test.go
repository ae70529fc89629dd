//go:build imagetest

// The image's tests: they run containers of the image make image built
// and so need a Docker daemon, which go test ./... does not; make
// test-image (cmd/scripts/test-image.sh) runs them with
//
//	go test -tags imagetest ./cmd/ci/
//
// and ASTRA_IMAGE=astra-token-kit, ASTRA_IMAGE_VERSION=<the tag>. Every
// container is labelled with ASTRA_TEST_RUN and removed by its id when its
// test ends; the script removes what a killed run leaves by that label.
// Containers run with --network host on 127.0.0.1 ports, except where a
// recipe's own point is Docker's port mapping or network (a GitHub or
// GitLab service, Docker Compose): there the ports are published on
// 127.0.0.1 only.

package ci

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/cmd/internal/curlwalk"
)

const (
	// memberTokens is the member's tokens collection in the default
	// fixtures, and mockSecret the member's credential.
	memberTokens = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	mockSecret   = "mock-snapshot-taker"
	createBody   = `{"type":"application/astra-token","version":"1.0","name":"image test"}`
	// maxImageBytes is the image's size budget, with the binaries built
	// by the release flags (cmd/scripts/build.sh).
	maxImageBytes = 50_000_000
)

// imageRef is the image under test: ASTRA_IMAGE:ASTRA_IMAGE_VERSION.
func imageRef(t *testing.T) string {
	t.Helper()
	return os.Getenv("ASTRA_IMAGE") + ":" + imageVersion(t)
}

func imageVersion(t *testing.T) string {
	t.Helper()
	if os.Getenv("ASTRA_IMAGE") == "" || os.Getenv("ASTRA_IMAGE_VERSION") == "" {
		t.Fatal("ASTRA_IMAGE and ASTRA_IMAGE_VERSION name the image under test; run make test-image")
	}
	return os.Getenv("ASTRA_IMAGE_VERSION")
}

// runLabel marks every container these tests start.
func runLabel() string {
	run := os.Getenv("ASTRA_TEST_RUN")
	if run == "" {
		run = "manual"
	}
	return "astra-token-kit.test=" + run
}

// command runs name with args, bounded in time, and returns its combined
// output and error.
func command(env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// docker runs docker and fails the test if it fails.
func docker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := command(nil, "docker", args...)
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// start starts a container (docker run -d args...) and removes it, by id,
// when the test ends, showing its logs if the test failed.
func start(t *testing.T, args ...string) string {
	t.Helper()
	id := docker(t, append([]string{"run", "-d", "--label", runLabel()}, args...)...)
	removeAtEnd(t, id)
	return id
}

func removeAtEnd(t *testing.T, id string) {
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := command(nil, "docker", "logs", "--tail", "50", id)
			t.Logf("logs of %.12s:\n%s", id, logs)
		}
		// A container started with --rm may be gone already.
		if out, err := command(nil, "docker", "rm", "-f", id); err != nil && !strings.Contains(out, "No such container") && !strings.Contains(out, "already in progress") {
			t.Errorf("removing container %.12s: %v\n%s", id, err, out)
		}
	})
}

// waitHealthy waits until Docker reports the container healthy, as a CI
// service runner does before the first step.
func waitHealthy(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		state := docker(t, "inspect", "-f", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", id)
		switch {
		case state == "running healthy":
			return
		case state == "running unhealthy", !strings.HasPrefix(state, "running") && !strings.HasPrefix(state, "created"):
			health, _ := command(nil, "docker", "inspect", "-f", "{{json .State.Health}}", id)
			t.Fatalf("container %.12s is %q; health: %s", id, state, health)
		case time.Now().After(deadline):
			t.Fatalf("container %.12s is not healthy after 90s: %q", id, state)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// freePort is a port of 127.0.0.1 nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// send makes one request, with bearer as credential when it is not empty.
func send(t *testing.T, method, url, bearer, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestImageIsSmallNonRootLabelledAndTagged(t *testing.T) {
	ref := imageRef(t)
	var images []struct {
		ID     string `json:"Id"`
		Size   int64
		Os     string
		Config struct {
			User         string
			ExposedPorts map[string]struct{}
			Entrypoint   []string
			Labels       map[string]string
			Healthcheck  struct{ Test []string }
		}
	}
	if err := json.Unmarshal([]byte(docker(t, "image", "inspect", ref)), &images); err != nil || len(images) != 1 {
		t.Fatalf("docker image inspect %s: %v", ref, err)
	}
	img := images[0]
	t.Logf("%s: %d bytes, user %s", ref, img.Size, img.Config.User)
	if img.Size >= maxImageBytes {
		t.Errorf("the image has %d bytes, want less than %d", img.Size, maxImageBytes)
	}
	uid, _, _ := strings.Cut(img.Config.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("user %q is not a numeric non-root user", img.Config.User)
	}
	if _, ok := img.Config.ExposedPorts[mockPort+"/tcp"]; !ok || img.Os != "linux" {
		t.Errorf("os %s, exposed ports %v; want linux and %s/tcp", img.Os, img.Config.ExposedPorts, mockPort)
	}
	if !slices.Equal(img.Config.Entrypoint, []string{"astra-mock"}) {
		t.Errorf("entrypoint %q, want astra-mock", img.Config.Entrypoint)
	}
	if want := append([]string{"CMD"}, healthCommand...); !slices.Equal(img.Config.Healthcheck.Test, want) {
		t.Errorf("health check %q, want %q", img.Config.Healthcheck.Test, want)
	}
	labels := img.Config.Labels
	if labels["org.opencontainers.image.version"] != imageVersion(t) {
		t.Errorf("label version %q, want %q", labels["org.opencontainers.image.version"], imageVersion(t))
	}
	for _, l := range []string{"source", "licenses", "revision", "title"} {
		if labels["org.opencontainers.image."+l] == "" {
			t.Errorf("no label org.opencontainers.image.%s", l)
		}
	}
	if latest := docker(t, "image", "inspect", "-f", "{{.Id}}", os.Getenv("ASTRA_IMAGE")+":latest"); latest != img.ID {
		t.Errorf("%s:latest is %s, not the image under test %s", os.Getenv("ASTRA_IMAGE"), latest, img.ID)
	}
}

// TestImageShipsTheReleaseBuild: the image's binaries are built as make
// dist builds them (cmd/scripts/build.sh): static, -trimpath, stripped of
// symbols and DWARF (-ldflags -s -w, which Go does not record in the build
// settings under -trimpath), and the compiler's defaults otherwise (no
// -gcflags: the binary that was tested and measured). The version stamp is
// TestBothProgramsPrintTheStampedVersion's.
func TestImageShipsTheReleaseBuild(t *testing.T) {
	id := docker(t, "create", "--label", runLabel(), imageRef(t))
	removeAtEnd(t, id)
	dir := t.TempDir()
	for _, program := range []string{"astra-mock", "astra-conformance"} {
		file := filepath.Join(dir, program)
		docker(t, "cp", id+":/usr/local/bin/"+program, file)
		info, err := buildinfo.ReadFile(file)
		if err != nil {
			t.Fatalf("%s: %v", program, err)
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		for k, want := range map[string]string{"CGO_ENABLED": "0", "GOOS": "linux", "-trimpath": "true", "-gcflags": ""} {
			if settings[k] != want {
				t.Errorf("%s was built with %s=%q, want %q", program, k, settings[k], want)
			}
		}
		f, err := elf.Open(file)
		if err != nil {
			t.Fatalf("%s: %v", program, err)
		}
		for _, section := range f.Sections {
			if section.Name == ".symtab" || strings.HasPrefix(section.Name, ".debug_") || strings.HasPrefix(section.Name, ".zdebug_") {
				t.Errorf("%s has a section %s: not built with -ldflags '-s -w'", program, section.Name)
			}
		}
		f.Close()
	}
}

func TestBothProgramsPrintTheStampedVersion(t *testing.T) {
	ref := imageRef(t)
	for _, program := range []string{"astra-mock", "astra-conformance"} {
		out := docker(t, "run", "--rm", "--label", runLabel(), "--entrypoint", program, ref, "-version")
		if want := program + " " + imageVersion(t); out != want {
			t.Errorf("%s -version printed %q, want %q", program, out, want)
		}
	}
}

// TestConformanceSuiteAgainstTheImage runs the mock from the image on
// mounted fixtures and state, the image's own conformance suite against it
// (every scenario, the admin ones too: with --network host the suite is a
// loopback client), and stops it as docker stop does: the state is saved
// to the mounted file.
func TestConformanceSuiteAgainstTheImage(t *testing.T) {
	ref := imageRef(t)
	data := t.TempDir()
	if err := os.Chmod(data, 0o777); err != nil { // the image's user writes the state here
		t.Fatal(err)
	}
	fixtures, err := os.ReadFile("../../fixtures/default.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "fixtures.json"), fixtures, 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	id := start(t, "--network", "host", "--health-interval", "1s", "-e", "ASTRA_MOCK_ADDR=127.0.0.1:"+port,
		"-v", data+":/data", ref, "-fixtures", "/data/fixtures.json", "-state", "/data/state.json")
	waitHealthy(t, id)

	repoFixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	out, err := command(nil, "docker", "run", "--rm", "--label", runLabel(), "--network", "host",
		"-v", repoFixtures+":/fixtures:ro", "--entrypoint", "astra-conformance", ref,
		"-target", base, "-fixtures", "/fixtures/default.json", "-format", "progress")
	summary := out[max(0, strings.LastIndex(out, "\n\n")):]
	if err != nil {
		t.Fatalf("astra-conformance against the image: %v\n%s", err, out)
	}
	t.Logf("astra-conformance against the image, %v:%s", time.Since(began).Round(time.Millisecond), summary)
	if !strings.Contains(out, " 0 failed, 0 skipped") {
		t.Errorf("the suite did not pass every scenario:%s", summary)
	}

	docker(t, "stop", "--time", "15", id)
	if code := docker(t, "inspect", "-f", "{{.State.ExitCode}}", id); code != "0" {
		t.Errorf("the mock exited with %s on SIGTERM, want 0", code)
	}
	state, err := os.ReadFile(filepath.Join(data, "state.json"))
	if err != nil {
		t.Fatalf("no state saved to the mounted directory: %v", err)
	}
	if !strings.Contains(string(state), "5cef50e1-a468-4f74-98a6-832d4fd76096") || strings.Contains(string(state), mockSecret) {
		t.Errorf("the saved state lacks account A or holds a plain secret:\n%.400s", state)
	}
}

// TestREADMEDockerRunAndCurlWalk starts the image as cmd/astra-mock/README.md's
// "The container image" does (its port published on 127.0.0.1) and runs
// that README's curl walk against it.
func TestREADMEDockerRunAndCurlWalk(t *testing.T) {
	port := freePort(t)
	id := start(t, "-p", "127.0.0.1:"+port+":"+mockPort, imageRef(t))
	waitHealthy(t, id)
	out, err := command(nil, "bash", "-e", "-c", readmeWalk(t, "http://127.0.0.1:"+port))
	if err != nil {
		t.Fatalf("the README's curl walk: %v\n%s", err, out)
	}
	for _, want := range []string{`"token":"`, "HTTP/1.1 200 OK", "HTTP/1.1 204 No Content", "problems/2", "problems/4"} {
		if !strings.Contains(out, want) {
			t.Errorf("the README's curl walk printed no %s:\n%s", want, out)
		}
	}
	// The admin API refuses requests through the port mapping without a token.
	if code, body := send(t, http.MethodGet, "http://127.0.0.1:"+port+"/__admin/health", "", ""); code != http.StatusForbidden {
		t.Errorf("admin health through the port mapping, without a token: %d %s, want 403", code, body)
	}
}

// readmeWalk is the walk of cmd/astra-mock/README.md, pointed at base.
func readmeWalk(t *testing.T, base string) string {
	t.Helper()
	walk, err := curlwalk.Read("../astra-mock/README.md", base)
	if err != nil {
		t.Fatal(err)
	}
	return walk
}

// TestConfiguredByEnvironmentWithAnAdminToken: every setting as an
// ASTRA_MOCK_* variable; the health check sends the admin token it reads
// from the same variables; the admin API wants the token.
func TestConfiguredByEnvironmentWithAnAdminToken(t *testing.T) {
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	id := start(t, "--network", "host", "--health-interval", "1s",
		"-e", "ASTRA_MOCK_ADDR=127.0.0.1:"+port, "-e", "ASTRA_MOCK_ADMIN_TOKEN=image-test-token",
		"-e", "ASTRA_MOCK_SEED=42", "-e", "ASTRA_MOCK_CLOCK=frozen", "-e", "ASTRA_MOCK_LOG=json", imageRef(t))
	waitHealthy(t, id)

	if code, body := send(t, http.MethodGet, base+"/__admin/health", "", ""); code != http.StatusUnauthorized {
		t.Errorf("admin health without the token: %d %s, want 401", code, body)
	}
	if code, body := send(t, http.MethodGet, base+"/__admin/health", "image-test-token", ""); code != http.StatusOK || !strings.Contains(body, imageVersion(t)) {
		t.Errorf("admin health with the token: %d %s, want 200 with the version", code, body)
	}
	code, body := send(t, http.MethodPost, base+memberTokens, mockSecret, createBody)
	if code != http.StatusCreated || !strings.Contains(body, `"creationTimestamp":"2022-10-06T20:58:23.305662Z"`) {
		t.Errorf("create on a mock with ASTRA_MOCK_CLOCK=frozen: %d %s", code, body)
	}
	// The recipes' health check, as they write it.
	if out := docker(t, append([]string{"exec", id}, healthCommand...)...); !strings.HasPrefix(out, "astra-mock healthy") {
		t.Errorf("%s in the container printed %q", strings.Join(healthCommand, " "), out)
	}
	if logs, _ := command(nil, "docker", "logs", id); strings.Contains(logs, "ignoring ASTRA_MOCK_") || !strings.Contains(logs, `"msg":"request"`) {
		t.Errorf("the mock ignored a variable, or does not log JSON:\n%s", logs)
	}
}

// TestGitHubActionsRecipeRuns runs both jobs of github-actions.yml as a
// runner would: the service container with the recipe's env, ports and
// options, waited on until healthy; then the job's run steps with bash -e,
// the job's env and $GITHUB_ENV. The image is the one under test, and host
// ports are free ones of 127.0.0.1 (ASTRA_BASE_URL follows).
func TestGitHubActionsRecipeRuns(t *testing.T) {
	w := loadWorkflow(t)

	t.Run("mock-as-service", func(t *testing.T) {
		job := w.Jobs["mock-as-service"]
		svc := job.Services["astra-mock"]
		port := freePort(t)
		args := []string{"--network", "bridge"}
		for k, v := range svc.Env {
			args = append(args, "-e", k+"="+v)
		}
		for _, p := range svc.Ports {
			_, inside, _ := strings.Cut(p, ":")
			args = append(args, "-p", "127.0.0.1:"+port+":"+inside)
		}
		args = append(args, strings.Fields(svc.Options)...)
		id := start(t, append(args, imageRef(t))...)
		waitHealthy(t, id)
		runSteps(t, job.Steps, merge(w.Env, job.Env, map[string]string{"ASTRA_BASE_URL": "http://127.0.0.1:" + port}))
	})

	t.Run("mock-as-step", func(t *testing.T) {
		job := w.Jobs["mock-as-step"]
		runSteps(t, job.Steps, merge(w.Env, job.Env, map[string]string{"ASTRA_MOCK_IMAGE": imageRef(t), "ASTRA_MOCK_PORT": freePort(t), "ASTRA_PROXY_PORT": freePort(t)}))
	})
}

// runSteps runs a job's steps like a GitHub runner: uses: steps are
// skipped (checkout has nothing to do here), run: steps go to bash -e with
// env and what earlier steps appended to $GITHUB_ENV; after a failure only
// if: always() steps run. A container id a step writes to $GITHUB_ENV as
// ASTRA_MOCK_CONTAINER is removed when the test ends, whatever the steps do.
func runSteps(t *testing.T, steps []workflowStep, env map[string]string) {
	t.Helper()
	dir := t.TempDir()
	githubEnv := filepath.Join(dir, "github_env")
	if err := os.WriteFile(githubEnv, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	failed := false
	removing := map[string]bool{}
	for i, s := range steps {
		if s.Uses != "" {
			t.Logf("step %d %q: uses %s, skipped here", i, s.Name, s.Uses)
			continue
		}
		if failed && s.If != "always()" {
			t.Logf("step %d %q: skipped after a failure", i, s.Name)
			continue
		}
		script := filepath.Join(dir, fmt.Sprintf("step%d.sh", i))
		if err := os.WriteFile(script, []byte(s.Run), 0o600); err != nil {
			t.Fatal(err)
		}
		added, err := os.ReadFile(githubEnv)
		if err != nil {
			t.Fatal(err)
		}
		stepEnv := merge(env, parseEnvFile(t, added), map[string]string{"GITHUB_ENV": githubEnv, "CI": "true"})
		out, err := command(environ(stepEnv), "bash", "--noprofile", "--norc", "-e", script)
		t.Logf("step %d %q:\n%s", i, s.Name, out)
		if err != nil {
			t.Errorf("step %d %q failed: %v", i, s.Name, err)
			failed = true
		}
		if added, err := os.ReadFile(githubEnv); err == nil {
			if id := parseEnvFile(t, added)["ASTRA_MOCK_CONTAINER"]; id != "" && !removing[id] {
				removing[id] = true
				removeAtEnd(t, id)
			}
		}
	}
}

// parseEnvFile reads NAME=value lines ($GITHUB_ENV's simple form).
func parseEnvFile(t *testing.T, data []byte) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.Contains(k, "<<") {
			t.Fatalf("$GITHUB_ENV line %q: only NAME=value is understood here", line)
		}
		env[k] = v
	}
	return env
}

// TestGitLabCIRecipeRuns runs the job of gitlab-ci.yml as a GitLab runner
// would: the service with the job's variables (GitLab passes them to
// services) and its own, waited on until its exposed port accepts
// connections on the container's address (not through the published port,
// whose proxy accepts before the mock listens); then the script with bash
// -eo pipefail. From this machine the service's alias does not resolve, so
// ASTRA_BASE_URL is its published port on 127.0.0.1.
func TestGitLabCIRecipeRuns(t *testing.T) {
	job := loadGitLab(t)
	svc := job.Services[0]
	port := freePort(t)
	args := []string{"--network", "bridge", "-p", "127.0.0.1:" + port + ":" + mockPort}
	for k, v := range merge(job.Variables, svc.Variables) {
		args = append(args, "-e", k+"="+v)
	}
	id := start(t, append(args, imageRef(t))...)
	ip := docker(t, "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", id)
	deadline := time.Now().Add(30 * time.Second) // GitLab's default wait for services
	for {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(ip, mockPort), time.Second)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service's port does not accept connections after 30s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	env := merge(job.Variables, map[string]string{"ASTRA_BASE_URL": "http://127.0.0.1:" + port, "CI": "true"})
	out, err := command(environ(env), "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", strings.Join(job.Script, "\n"))
	t.Logf("script:\n%s", out)
	if err != nil {
		t.Fatalf("the job's script failed: %v", err)
	}
}

// TestDockerComposeRecipeRuns brings up docker-compose.yml's mock with the
// image under test on a free port of 127.0.0.1, reaches it from this
// machine, runs its client service to completion, and takes it all down.
func TestDockerComposeRecipeRuns(t *testing.T) {
	compose := composeCommand(t)
	project := strings.NewReplacer("=", "-", ".", "-").Replace(strings.ToLower(runLabel()))
	port := freePort(t)
	env := environ(map[string]string{"ASTRA_MOCK_IMAGE": imageRef(t), "ASTRA_MOCK_PORT": port})
	run := func(args ...string) (string, error) {
		return command(env, compose[0], append(append(compose[1:], "--project-name", project, "--file", "docker-compose.yml"), args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := run(args...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", strings.Join(compose, " "), strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(out)
	}
	must("config", "--quiet")
	t.Cleanup(func() {
		if out, err := run("down", "--volumes", "--remove-orphans", "--timeout", "10"); err != nil {
			t.Errorf("compose down: %v\n%s", err, out)
		}
	})
	must("up", "--detach", "astra-mock")
	id := must("ps", "--quiet", "astra-mock")
	waitHealthy(t, id)

	base := "http://127.0.0.1:" + port
	if code, body := send(t, http.MethodGet, base+memberTokens, mockSecret, ""); code != http.StatusOK {
		t.Errorf("the member's tokens through the published port: %d %s", code, body)
	}
	if code, _ := send(t, http.MethodGet, base+"/__admin/health", "compose-admin-token", ""); code != http.StatusOK {
		t.Errorf("admin health with the recipe's token through the published port: %d, want 200", code)
	}
	out, err := run("run", "--rm", "client")
	if err != nil {
		t.Fatalf("the client service failed: %v\n%s", err, out)
	}
	t.Logf("client:%s", out[max(0, strings.LastIndex(out, "\n\n")):])
}

// composeCommand is docker compose, or the standalone docker-compose.
func composeCommand(t *testing.T) []string {
	t.Helper()
	if _, err := command(nil, "docker", "compose", "version"); err == nil {
		return []string{"docker", "compose"}
	}
	if _, err := command(nil, "docker-compose", "version"); err == nil {
		return []string{"docker-compose"}
	}
	t.Fatal("neither docker compose nor docker-compose is installed: the compose recipe cannot run (make ci-test-image installs docker-compose)")
	return nil
}

// merge is the union of envs, later ones winning.
func merge(envs ...map[string]string) map[string]string {
	m := map[string]string{}
	for _, e := range envs {
		for k, v := range e {
			m[k] = v
		}
	}
	return m
}

// environ is this process's environment with env over it.
func environ(env map[string]string) []string {
	out := os.Environ()
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}
