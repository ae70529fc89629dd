// Package ci holds the CI recipes client teams copy to run the mock in
// their pipelines: GitHub Actions (github-actions.yml), GitLab CI
// (gitlab-ci.yml) and Docker Compose (docker-compose.yml), all on the image
// of ../Dockerfile.
//
// Its tests check the recipes against the Dockerfile without Docker (these,
// in go test ./...) and run them against the built image (image_test.go,
// build tag imagetest, run by make test-image).
package ci

import (
	"maps"
	"os"
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
	Name string `yaml:"name"`
	Uses string `yaml:"uses"`
	Run  string `yaml:"run"`
	If   string `yaml:"if"`
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
		last := job.Steps[len(job.Steps)-1]
		if last.If != "always()" || !strings.Contains(last.Run, "docker stop") {
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
	if mock.Image != "${ASTRA_MOCK_IMAGE:-"+imageRepo+":latest}" {
		t.Errorf("image %q, want the one make image tags, overridable by ASTRA_MOCK_IMAGE", mock.Image)
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
