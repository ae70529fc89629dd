// Package ci holds the CI recipes client teams copy to run the mock in
// their pipelines: GitHub Actions (github-actions.yml), GitLab CI
// (gitlab-ci.yml) and Docker Compose (docker-compose.yml), all on the image
// of ../Dockerfile.
//
// Its tests check the recipes against the Dockerfile, the release workflow
// (../../.github/workflows/release.yml) and go.mod, and that make dist and
// the image build alike, without Docker (these, in go test ./...), and run
// them against the built image (image_test.go, build tag imagetest, run by
// make test-image).
package ci

import (
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
)

const (
	// imageRepo is the name make image tags; recipes refer to it under
	// their own registry.
	imageRepo = "astra-token-kit"
	// mockPort is the port the image's mock listens on.
	mockPort = "8080"
)

// healthCommand is the image's health check, exec form: the image has no
// shell, so a recipe's health check must be this too.
var healthCommand = []string{"astra-mock", "-healthcheck", "/__admin/health"}

type workflow struct {
	Env  map[string]string      `yaml:"env"`
	Jobs map[string]workflowJob `yaml:"jobs"`
}

type workflowJob struct {
	Services map[string]workflowService `yaml:"services"`
	Env      map[string]string          `yaml:"env"`
	Steps    []workflowStep             `yaml:"steps"`
}

type workflowService struct {
	Image   string            `yaml:"image"`
	Ports   []string          `yaml:"ports"`
	Env     map[string]string `yaml:"env"`
	Options string            `yaml:"options"`
}

type workflowStep struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Run  string            `yaml:"run"`
	If   string            `yaml:"if"`
}

type gitlabJob struct {
	Image     string            `yaml:"image"`
	Services  []gitlabService   `yaml:"services"`
	Variables map[string]string `yaml:"variables"`
	Script    []string          `yaml:"script"`
}

type gitlabService struct {
	Name      string            `yaml:"name"`
	Alias     string            `yaml:"alias"`
	Variables map[string]string `yaml:"variables"`
}

type compose struct {
	Services map[string]composeService `yaml:"services"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Entrypoint []string `yaml:"entrypoint"`
	Command    []string `yaml:"command"`
	DependsOn  map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

func load(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadWorkflow(t *testing.T) workflow {
	var w workflow
	load(t, "github-actions.yml", &w)
	return w
}

func loadGitLab(t *testing.T) gitlabJob {
	var jobs map[string]gitlabJob
	load(t, "gitlab-ci.yml", &jobs)
	job, ok := jobs["client-tests"]
	if !ok {
		t.Fatal("gitlab-ci.yml: no job client-tests")
	}
	return job
}

func loadCompose(t *testing.T) compose {
	var c compose
	load(t, "docker-compose.yml", &c)
	return c
}

// dockerfile is what the tests need to know of ../Dockerfile: each
// instruction with its arguments, continuation lines joined.
func dockerfile(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	in := map[string][]string{}
	var line string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		line += strings.TrimSpace(l)
		if strings.HasSuffix(line, `\`) {
			line = strings.TrimSuffix(line, `\`) + " "
			continue
		}
		if word, args, ok := strings.Cut(line, " "); ok {
			in[strings.ToUpper(word)] = append(in[strings.ToUpper(word)], strings.Join(strings.Fields(args), " "))
		}
		line = ""
	}
	return in
}

// TestDockerfileMatchesWhatTheRecipesAssume: the facts the recipes and the
// READMEs rely on are the Dockerfile's.
func TestDockerfileMatchesWhatTheRecipesAssume(t *testing.T) {
	d := dockerfile(t)
	for _, tc := range []struct{ instruction, want string }{
		{"FROM", "scratch"},
		{"EXPOSE", mockPort},
		{"ENTRYPOINT", `["astra-mock"]`},
		{"HEALTHCHECK", `CMD ["` + strings.Join(healthCommand, `", "`) + `"]`},
	} {
		if got := d[tc.instruction]; len(got) != 1 || !strings.HasSuffix(got[0], tc.want) {
			t.Errorf("Dockerfile %s is %q, want one ending in %s", tc.instruction, got, tc.want)
		}
	}
	if env := strings.Join(d["ENV"], " "); !strings.Contains(env, "ASTRA_MOCK_ADDR=0.0.0.0:"+mockPort) {
		t.Errorf("Dockerfile ENV %q does not listen on 0.0.0.0:%s", env, mockPort)
	}
	user := d["USER"]
	if len(user) != 1 {
		t.Fatalf("Dockerfile USER %q, want one", user)
	}
	uid, _, _ := strings.Cut(user[0], ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("Dockerfile USER %q is not a numeric non-root user", user[0])
	}
	for _, label := range []string{"version", "source", "licenses", "revision"} {
		if !strings.Contains(strings.Join(d["LABEL"], " "), "org.opencontainers.image."+label+"=") {
			t.Errorf("Dockerfile has no OCI label %s", label)
		}
	}
}

func TestGitHubActionsRecipe(t *testing.T) {
	w := loadWorkflow(t)
	if len(w.Jobs) != 2 {
		t.Errorf("jobs %v, want mock-as-service and mock-as-step", slices.Sorted(maps.Keys(w.Jobs)))
	}

	t.Run("the mock as a service container", func(t *testing.T) {
		job := w.Jobs["mock-as-service"]
		svc, ok := job.Services["astra-mock"]
		if !ok {
			t.Fatal("no service astra-mock")
		}
		checkImage(t, svc.Image)
		if !slices.ContainsFunc(svc.Ports, func(p string) bool { return strings.HasSuffix(p, ":"+mockPort) }) {
			t.Errorf("ports %q map no host port to the mock's %s", svc.Ports, mockPort)
		}
		if strings.Contains(svc.Options, "--health-cmd") {
			t.Errorf("options %q: --health-cmd runs through a shell, which the image does not have", svc.Options)
		}
		if !strings.Contains(svc.Options, "--health-interval") {
			t.Errorf("options %q do not shorten the health check interval", svc.Options)
		}
		checkAdminToken(t, svc.Env, job.Env)
		if got := job.Env["ASTRA_BASE_URL"]; got != "http://localhost:"+mockPort {
			t.Errorf("ASTRA_BASE_URL %q, want the mapped port on localhost", got)
		}
		checkSteps(t, job.Steps)
	})

	t.Run("the mock as a step", func(t *testing.T) {
		job := w.Jobs["mock-as-step"]
		checkImage(t, job.Env["ASTRA_MOCK_IMAGE"])
		if job.Env["ASTRA_MOCK_PORT"] == "" {
			t.Error("no ASTRA_MOCK_PORT")
		}
		checkSteps(t, job.Steps)
		i := slices.IndexFunc(job.Steps, func(s workflowStep) bool { return strings.Contains(s.Run, "docker run") })
		if i < 0 {
			t.Fatal("no step starts the mock with docker run")
		}
		start := job.Steps[i]
		for _, want := range []string{"--network host", "ASTRA_MOCK_ADDR=\"127.0.0.1:$ASTRA_MOCK_PORT\"", "GITHUB_ENV", ".State.Health.Status"} {
			if !strings.Contains(start.Run, want) {
				t.Errorf("the start step does not contain %s", want)
			}
		}
		proxy := slices.IndexFunc(job.Steps, func(s workflowStep) bool { return strings.Contains(s.Run, "--entrypoint astra-conformance") })
		if proxy < i || !strings.Contains(job.Steps[proxy].Run, "-proxy \"127.0.0.1:$ASTRA_PROXY_PORT\"") || job.Env["ASTRA_PROXY_PORT"] == "" {
			t.Error("no step after the mock's starts the proxy in front of it on 127.0.0.1:$ASTRA_PROXY_PORT")
		}
		last := job.Steps[len(job.Steps)-1]
		if last.If != "always()" || !strings.Contains(last.Run, "docker stop") || !strings.Contains(last.Run, "$ASTRA_PROXY_CONTAINER") {
			t.Errorf("the last step %q does not always stop the mock", last.Name)
		}
	})
}

func TestGitLabCIRecipe(t *testing.T) {
	job := loadGitLab(t)
	if len(job.Services) != 1 {
		t.Fatalf("services %v, want the mock", job.Services)
	}
	svc := job.Services[0]
	checkImage(t, svc.Name)
	if want := "http://" + svc.Alias + ":" + mockPort; svc.Alias == "" || job.Variables["ASTRA_BASE_URL"] != want {
		t.Errorf("ASTRA_BASE_URL %q, want %s (the service's alias and exposed port)", job.Variables["ASTRA_BASE_URL"], want)
	}
	checkAdminToken(t, job.Variables, job.Variables)
	if len(job.Script) == 0 {
		t.Error("no script")
	}
}

func TestDockerComposeRecipe(t *testing.T) {
	c := loadCompose(t)
	mock, ok := c.Services["astra-mock"]
	if !ok {
		t.Fatal("no service astra-mock")
	}
	if want := "${ASTRA_MOCK_IMAGE:-" + publishedImage(t) + ":latest}"; mock.Image != want {
		t.Errorf("image %q, want %s: the published one, overridable by ASTRA_MOCK_IMAGE", mock.Image, want)
	}
	if !slices.Equal(mock.Ports, []string{"127.0.0.1:${ASTRA_MOCK_PORT:-8080}:" + mockPort}) {
		t.Errorf("ports %q, want the mock on 127.0.0.1 of this machine only", mock.Ports)
	}
	if want := append([]string{"CMD"}, healthCommand...); !slices.Equal(mock.Healthcheck.Test, want) {
		t.Errorf("healthcheck %q, want %q (exec form: the image has no shell)", mock.Healthcheck.Test, want)
	}
	if mock.Environment["ASTRA_MOCK_ADMIN_TOKEN"] == "" {
		t.Error("no ASTRA_MOCK_ADMIN_TOKEN: other containers could not reach the admin API")
	}
	client, ok := c.Services["client"]
	if !ok {
		t.Fatal("no service client")
	}
	if client.DependsOn["astra-mock"].Condition != "service_healthy" {
		t.Errorf("client depends on %v, want astra-mock healthy", client.DependsOn)
	}
	if !slices.Contains(client.Command, "http://astra-mock:"+mockPort) {
		t.Errorf("client command %q does not target the mock", client.Command)
	}
}

// publishedImage is the image the release workflow publishes, derived from
// go.mod: module github.com/OWNER/NAME is the repository OWNER/NAME on
// GitHub, whose image is ghcr.io/owner/name (the registry wants lower
// case).
func publishedImage(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)\s*$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no module line")
	}
	repo, ok := strings.CutPrefix(string(m[1]), "github.com/")
	if !ok || strings.Count(repo, "/") != 1 {
		t.Fatalf("module %s is not github.com/OWNER/NAME: the release workflow publishes ghcr.io/OWNER/NAME", m[1])
	}
	if path.Base(repo) != imageRepo {
		t.Fatalf("module %s: the repository's name is not %s, the name make image tags", m[1], imageRepo)
	}
	return "ghcr.io/" + strings.ToLower(repo)
}

// TestImageNamesAgree: every recipe names the image the release workflow
// publishes, ghcr.io/ and the repository go.mod's module path names, and
// the image's source label points at that repository.
func TestImageNamesAgree(t *testing.T) {
	want := publishedImage(t)

	// The workflow pushes ghcr.io/$GITHUB_REPOSITORY in lower case, which
	// for the repository of go.mod's module path is want.
	publish := loadRelease(t).Jobs["publish"]
	if !slices.ContainsFunc(publish.Steps, func(s workflowStep) bool {
		return strings.Contains(s.Run, `echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}" >> "$GITHUB_ENV"`)
	}) {
		t.Error(`release.yml: no step of the publish job sets IMAGE=ghcr.io/${GITHUB_REPOSITORY,,} (the repository in lower case)`)
	}
	push := step(t, publish.Steps, "docker/build-push-action@")
	if got := strings.Split(strings.TrimSpace(push.With["tags"]), "\n"); !slices.Equal(got, []string{"${{ env.IMAGE }}:${{ env.VERSION }}", "${{ env.IMAGE }}:latest"}) {
		t.Errorf("release.yml pushes the tags %q, want $IMAGE:$VERSION and $IMAGE:latest", push.With["tags"])
	}

	w := loadWorkflow(t)
	refs := map[string]string{
		"github-actions.yml, mock-as-service": w.Jobs["mock-as-service"].Services["astra-mock"].Image,
		"github-actions.yml, mock-as-step":    w.Jobs["mock-as-step"].Env["ASTRA_MOCK_IMAGE"],
		"gitlab-ci.yml":                       loadGitLab(t).Services[0].Name,
	}
	for name, svc := range loadCompose(t).Services {
		refs["docker-compose.yml, "+name] = strings.TrimSuffix(strings.TrimPrefix(svc.Image, "${ASTRA_MOCK_IMAGE:-"), "}")
	}
	for where, ref := range refs {
		if name := ref[:max(0, strings.LastIndex(ref, ":"))]; name != want {
			t.Errorf("%s: image %q, want %s:TAG (the image the release workflow publishes)", where, ref, want)
		}
	}

	source := "https://github.com/" + strings.TrimPrefix(want, "ghcr.io/")
	if args := dockerfile(t)["ARG"]; !slices.ContainsFunc(args, func(a string) bool { return strings.ToLower(a) == "source="+source }) {
		t.Errorf("Dockerfile ARG %q: SOURCE does not default to %s", args, source)
	}
	if want := "SOURCE=${{ github.server_url }}/${{ github.repository }}"; !strings.Contains(push.With["build-args"], want) {
		t.Errorf("release.yml build-args %q do not set %s", push.With["build-args"], want)
	}
}

type release struct {
	On struct {
		Push struct {
			Tags []string `yaml:"tags"`
		} `yaml:"push"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Needs       string            `yaml:"needs"`
		Permissions map[string]string `yaml:"permissions"`
		Env         map[string]string `yaml:"env"`
		Steps       []workflowStep    `yaml:"steps"`
	} `yaml:"jobs"`
}

func loadRelease(t *testing.T) release {
	var r release
	load(t, "../../.github/workflows/release.yml", &r)
	return r
}

// step is the one step that uses the action prefix names.
func step(t *testing.T, steps []workflowStep, prefix string) workflowStep {
	t.Helper()
	var found []workflowStep
	for _, s := range steps {
		if strings.HasPrefix(s.Uses, prefix) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d steps use %s, want one", len(found), prefix)
	}
	return found[0]
}

// TestReleaseWorkflow: a version tag runs the tests, then publishes the
// binaries of make dist with SHA256SUMS and the image for linux/amd64 and
// linux/arm64, built from the context image-context.sh makes.
func TestReleaseWorkflow(t *testing.T) {
	r := loadRelease(t)
	if !slices.Equal(r.On.Push.Tags, []string{"v*"}) {
		t.Errorf("release.yml runs on tags %q, want v*", r.On.Push.Tags)
	}
	if !slices.ContainsFunc(r.Jobs["test"].Steps, func(s workflowStep) bool { return s.Run == ".ci/run" }) {
		t.Error("release.yml: the test job does not run .ci/run")
	}
	publish := r.Jobs["publish"]
	if publish.Needs != "test" {
		t.Errorf("release.yml: the publish job needs %q, want test", publish.Needs)
	}
	if publish.Permissions["contents"] != "write" || publish.Permissions["packages"] != "write" || r.Permissions["contents"] != "read" {
		t.Errorf("release.yml: permissions %v, the publish job's %v; want contents: read, and write to contents and packages for publish only", r.Permissions, publish.Permissions)
	}
	if publish.Env["VERSION"] != "${{ github.ref_name }}" {
		t.Errorf("release.yml: VERSION is %q, want the tag", publish.Env["VERSION"])
	}
	for _, run := range []string{`make dist VERSION="$VERSION"`, "cmd/scripts/image-context.sh amd64 arm64"} {
		if !slices.ContainsFunc(publish.Steps, func(s workflowStep) bool { return s.Run == run }) {
			t.Errorf("release.yml: no step of the publish job runs %s", run)
		}
	}
	push := step(t, publish.Steps, "docker/build-push-action@")
	for k, v := range map[string]string{"context": "bin/image", "file": "cmd/Dockerfile", "platforms": "linux/amd64,linux/arm64", "push": "true"} {
		if push.With[k] != v {
			t.Errorf("release.yml: build-push-action's %s is %q, want %q", k, push.With[k], v)
		}
	}
	if files := step(t, publish.Steps, "softprops/action-gh-release@").With["files"]; files != "dist/*" {
		t.Errorf("release.yml attaches %q to the release, want dist/* (make dist's binaries and SHA256SUMS)", files)
	}
}

// TestOneSetOfBuildFlags: make dist and the image build their binaries
// through build.sh, with the release flags and the compiler's defaults (no
// -gcflags): what ships is what the tests and the load figures measured.
func TestOneSetOfBuildFlags(t *testing.T) {
	build, err := os.ReadFile("../scripts/build.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "build -trimpath", `-ldflags "-s -w -X main.stampedVersion=$VERSION"`} {
		if !strings.Contains(string(build), want) {
			t.Errorf("build.sh does not build with %s", want)
		}
	}
	scripts, err := filepath.Glob("../scripts/*.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range scripts {
		data, err := os.ReadFile(script)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "-gcflags") {
			t.Errorf("%s builds with -gcflags", script)
		}
		if filepath.Base(script) != "build.sh" && regexp.MustCompile(`(?m)^[^#]*\$GO build`).Match(data) {
			t.Errorf("%s runs go build itself; build through build.sh", script)
		}
	}
	for script, want := range map[string]string{"dist.sh": `cmd/scripts/build.sh "$os" "$arch"`, "image-context.sh": `cmd/scripts/build.sh linux "$arch"`} {
		if data, err := os.ReadFile("../scripts/" + script); err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s does not build through build.sh (%v)", script, err)
		}
	}
}

// checkImage: a recipe names the image make image builds, under any
// registry.
func checkImage(t *testing.T, ref string) {
	t.Helper()
	if !regexp.MustCompile(`(^|/)` + imageRepo + `:[\w.-]+$`).MatchString(ref) {
		t.Errorf("image %q is not %s:TAG under a registry", ref, imageRepo)
	}
}

// checkAdminToken: where the job reaches the mock over a network, the mock
// gets an admin token and the job has the same one.
func checkAdminToken(t *testing.T, mockEnv, jobEnv map[string]string) {
	t.Helper()
	if mockEnv["ASTRA_MOCK_ADMIN_TOKEN"] == "" || mockEnv["ASTRA_MOCK_ADMIN_TOKEN"] != jobEnv["ASTRA_MOCK_ADMIN_TOKEN"] {
		t.Errorf("ASTRA_MOCK_ADMIN_TOKEN: the mock has %q, the job %q; want one token, the same", mockEnv["ASTRA_MOCK_ADMIN_TOKEN"], jobEnv["ASTRA_MOCK_ADMIN_TOKEN"])
	}
}

// checkSteps: every step uses an action or runs a script, and scripts do
// without ${{ }} expressions (the image test runs them with bash).
func checkSteps(t *testing.T, steps []workflowStep) {
	t.Helper()
	if len(steps) == 0 {
		t.Fatal("no steps")
	}
	for i, s := range steps {
		if (s.Uses == "") == (s.Run == "") {
			t.Errorf("step %d (%q): want exactly one of uses and run", i, s.Name)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d (%q) uses a ${{ }} expression; read the environment instead", i, s.Name)
		}
		if s.If != "" && s.If != "always()" {
			t.Errorf("step %d (%q): if %q; the image test knows always() only", i, s.Name, s.If)
		}
	}
}
