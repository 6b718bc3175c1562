// Talos's own config code as a judge for the extension's tests: one process answers a batch of
// requests (JSON on stdin, one JSON answer per request on stdout, in order).
//
// This file is the same in every test/go/talos-<minor> folder; what differs between Talos
// releases is in talos.go.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/siderolabs/talos/pkg/machinery/config/configloader"
	"github.com/siderolabs/talos/pkg/machinery/config/configpatcher"
	"github.com/siderolabs/talos/pkg/machinery/config/generate"
	"github.com/siderolabs/talos/pkg/machinery/config/machine"
	"github.com/siderolabs/talos/pkg/machinery/constants"
)

// request is one question: judge a config (after applying patches, as `talosctl machineconfig
// patch` does), or generate one (as `talosctl gen config` does).
type request struct {
	Op string `json:"op"` // "judge" (default) or "gen"
	// judge
	Config  string   `json:"config"`
	Patches []string `json:"patches,omitempty"`
	// gen
	ClusterName       string `json:"clusterName,omitempty"`
	Endpoint          string `json:"endpoint,omitempty"`
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	MachineType       string `json:"machineType,omitempty"` // controlplane (default) or worker
}

// apiServerView is what the API server gets from Talos's config layer.
type apiServerView struct {
	// Source is "KubeAPIServerConfig" or "cluster.apiServer": where Talos takes the settings from.
	Source string `json:"source"`
	// ExtraArgs are the user's extra args as Talos's config layer returns them.
	ExtraArgs map[string][]string `json:"extraArgs"`
	// UseAuthenticationConfig: Talos passes --authentication-config with the
	// KubeAuthenticationConfig document's body (only a KubeAPIServerConfig does this).
	UseAuthenticationConfig bool `json:"useAuthenticationConfig"`
	// AuthenticationConfig is the body Talos writes to authentication-config.yaml, when it writes one.
	AuthenticationConfig map[string]any `json:"authenticationConfig,omitempty"`
	// AuthenticationConfigError is Talos's error when it cannot turn the body into a file.
	AuthenticationConfigError string `json:"authenticationConfigError,omitempty"`
	// AuthFlags: the authentication flags of the static pod (anonymous-auth, authentication-config,
	// oidc-*), where this Talos release's flag rule is known (see talos.go); absent otherwise.
	AuthFlags map[string][]string `json:"authFlags,omitempty"`
	// FlagError: Talos refuses to render the static pod (an extra arg it denies).
	FlagError string `json:"flagError,omitempty"`
}

type response struct {
	Talos       string         `json:"talos"`
	Error       string         `json:"error,omitempty"` // a bad request, not a verdict
	PatchError  string         `json:"patchError,omitempty"`
	Patched     string         `json:"patched,omitempty"`
	LoadError   string         `json:"loadError,omitempty"`
	Valid       bool           `json:"valid"`
	Errors      []string       `json:"errors,omitempty"`
	Warnings    []string       `json:"warnings,omitempty"`
	MachineType string         `json:"machineType,omitempty"`
	APIServer   *apiServerView `json:"apiServer,omitempty"`
	Generated   string         `json:"generated,omitempty"`
}

// metalMode is `talosctl validate --mode metal`'s runtime mode (its type lives in Talos's internal packages).
type metalMode struct{}

func (metalMode) String() string        { return "metal" }
func (metalMode) RequiresInstall() bool { return true }
func (metalMode) InContainer() bool     { return false }

func main() {
	decoder := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<20))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for {
		var req request
		if err := decoder.Decode(&req); err != nil {
			if err.Error() == "EOF" {
				return
			}
			fmt.Fprintf(os.Stderr, "bad request: %v\n", err)
			os.Exit(2)
		}
		_ = encoder.Encode(answer(req))
		// Answer each request as it comes, so a caller can keep one process open.
		out.Flush()
	}
}

func answer(req request) (res response) {
	res.Talos = talosMinor
	defer func() {
		if r := recover(); r != nil {
			res.Error = fmt.Sprintf("panic: %v", r)
		}
	}()
	switch req.Op {
	case "gen":
		return generateConfig(req, res)
	case "", "judge":
		return judge(req, res)
	default:
		res.Error = fmt.Sprintf("unknown op %q", req.Op)
		return res
	}
}

func judge(req request, res response) response {
	data := []byte(req.Config)
	if len(req.Patches) > 0 {
		patches, err := configpatcher.LoadPatches(req.Patches)
		if err != nil {
			res.PatchError = err.Error()
			return res
		}
		patched, err := configpatcher.Apply(configpatcher.WithBytes(data), patches)
		if err == nil {
			data, err = patched.Bytes()
		}
		if err != nil {
			res.PatchError = err.Error()
			return res
		}
		res.Patched = string(data)
	}
	cfg, err := configloader.NewFromBytes(data)
	if err != nil {
		res.LoadError = err.Error()
		return res
	}
	warnings, err := validateAsTalosctl(cfg)
	res.Warnings = warnings
	if err != nil {
		res.Errors = splitErrors(err)
	}
	res.Valid = err == nil
	if cfg.Machine() != nil {
		res.MachineType = cfg.Machine().Type().String()
	}
	res.APIServer = apiServer(cfg)
	return res
}

func generateConfig(req request, res response) response {
	name := req.ClusterName
	if name == "" {
		name = "demo"
	}
	endpoint := req.Endpoint
	if endpoint == "" {
		endpoint = "https://192.168.1.10:6443"
	}
	kubernetesVersion := req.KubernetesVersion
	if kubernetesVersion == "" {
		kubernetesVersion = constants.DefaultKubernetesVersion
	}
	// talosctl gen config's default install disk.
	input, err := generate.NewInput(name, endpoint, kubernetesVersion, generate.WithInstallDisk("/dev/sda"))
	if err != nil {
		res.Error = err.Error()
		return res
	}
	machineType := machine.TypeControlPlane
	if req.MachineType == "worker" {
		machineType = machine.TypeWorker
	}
	cfg, err := input.Config(machineType)
	if err == nil {
		var text string
		text, err = cfg.EncodeString()
		res.Generated = text
	}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

// splitErrors turns a multierror ("N errors occurred:\n\t* a\n\t* b") into its lines.
func splitErrors(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "* ")
		if line == "" || strings.HasSuffix(line, "errors occurred:") || strings.HasSuffix(line, "error occurred:") {
			continue
		}
		out = append(out, line)
	}
	return out
}
