// Talos 1.13: what its config layer decides about the API server's authentication.
package main

import (
	coreconfig "github.com/siderolabs/talos/pkg/machinery/config"
	"github.com/siderolabs/talos/pkg/machinery/config/validation"
)

const talosMinor = "1.13"

// validateAsTalosctl: `talosctl validate --mode metal` calls Validate with WithLocal.
func validateAsTalosctl(cfg coreconfig.Provider) ([]string, error) {
	return cfg.Validate(metalMode{}, validation.WithLocal())
}

// apiServer reports the extra args Talos 1.13's config layer passes on. This release's config
// layer has no KubeAPIServerConfig or KubeAuthenticationConfig kind and no switch for
// --authentication-config; which flags its static pod controller adds itself is decided in
// internal/ code of the Talos 1.13 module, which the module proxy does not serve, so AuthFlags
// is left out.
func apiServer(cfg coreconfig.Provider) *apiServerView {
	if cfg.Cluster() == nil {
		return nil
	}
	view := &apiServerView{Source: "cluster.apiServer", ExtraArgs: map[string][]string{}}
	for name, values := range cfg.Cluster().APIServer().ExtraArgs() {
		view.ExtraArgs[name] = values
	}
	return view
}
