// Talos 1.14: what its config layer decides about the API server's authentication.
package main

import (
	"fmt"
	"path/filepath"
	"strings"

	coreconfig "github.com/siderolabs/talos/pkg/machinery/config"
	"github.com/siderolabs/talos/pkg/machinery/config/validation"
	"github.com/siderolabs/talos/pkg/machinery/constants"
	apiserverv1beta1 "k8s.io/apiserver/pkg/apis/apiserver/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
)

const talosMinor = "1.14"

// validateAsTalosctl: `talosctl validate --mode metal` (cmd/talosctl/cmd/mgmt/validate.go) calls
// ValidateAsClient with WithLocal.
func validateAsTalosctl(cfg coreconfig.Provider) ([]string, error) {
	return cfg.ValidateAsClient(metalMode{}, validation.WithLocal())
}

// apiServer reports what Talos's config layer gives the API server on a control plane.
//
// The authentication flags follow Talos 1.14's ControlPlaneAPIServerFinalController
// (internal/app/machined/pkg/controllers/k8s/control_plane_final.go, not importable): with
// UseAuthenticationConfig it sets --authentication-config and denies that flag in extra args,
// otherwise it sets --anonymous-auth=false; extra args then overwrite Talos's own values. The
// body goes through the same typed check as ControlPlaneAuthenticationController (control_plane.go).
func apiServer(cfg coreconfig.Provider) *apiServerView {
	api := cfg.K8sAPIServerConfig()
	if api == nil {
		return nil
	}
	view := &apiServerView{Source: "cluster.apiServer", ExtraArgs: map[string][]string{}}
	if cfg.Has("KubeAPIServerConfig") {
		view.Source = "KubeAPIServerConfig"
	}
	for name, values := range api.ExtraArgs() {
		view.ExtraArgs[name] = values
	}
	view.UseAuthenticationConfig = api.UseAuthenticationConfig()

	if authn := cfg.K8sAuthenticationConfig(); authn != nil && view.UseAuthenticationConfig {
		body := authn.Configuration()
		var typed apiserverv1beta1.AuthenticationConfiguration
		if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(body, &typed, false); err != nil {
			view.AuthenticationConfigError = fmt.Sprintf("error unmarshaling authentication configuration: %v", err)
		} else {
			view.AuthenticationConfig = body
		}
	}

	flags := map[string][]string{}
	denied := map[string]bool{}
	if view.UseAuthenticationConfig {
		flags["authentication-config"] = []string{filepath.Join(constants.KubernetesAPIServerConfigDir, "authentication-config.yaml")}
		denied["authentication-config"] = true
	} else {
		flags["anonymous-auth"] = []string{"false"}
	}
	for name, values := range view.ExtraArgs {
		if denied[name] {
			view.FlagError = fmt.Sprintf("extra arg %q is not allowed", name)
			continue
		}
		if isAuthFlag(name) {
			flags[name] = values
		}
	}
	view.AuthFlags = flags
	return view
}

func isAuthFlag(name string) bool {
	return name == "anonymous-auth" || name == "authentication-config" || strings.HasPrefix(name, "oidc-")
}
