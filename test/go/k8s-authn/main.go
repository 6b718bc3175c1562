// k8s-authn judges OIDC configurations and tokens with the Kubernetes API server's own code:
// kube-apiserver's flag handling (pkg/kubeapiserver/options: --oidc-* flags or
// --authentication-config → AuthenticationConfiguration, with its startup validation) and the
// JWT authenticator (k8s.io/apiserver plugin/pkg/authenticator/token/oidc), combined as
// kube-apiserver combines several issuers (a fail-on-error union).
//
// Batch mode: one JSON case per line on standard input, one JSON verdict per line on standard
// output, in the same order. A case:
//
//	{"id": "...", "flags": ["--oidc-issuer-url=...", ...]}            legacy flags, or
//	{"id": "...", "config": "<AuthenticationConfiguration YAML/JSON>"}  a structured file
//	  "serviceAccountIssuers": [...]   optional, --service-account-issuer values
//	  "jwks": "<JSON Web Key Set>"     the issuers' public keys (served as their jwks_uri)
//	  "token": "<bearer token>"        optional: the token to authenticate
//	  "now": <unix seconds>            the authenticator's clock for this case
//
// Discovery stays in the process: every issuer (and discoveryURL) is answered by an in-memory
// transport that serves a discovery document naming the configured issuer and the given JWKS.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/spf13/pflag"
	"k8s.io/apiserver/pkg/authentication/authenticator"
	authenticationcel "k8s.io/apiserver/pkg/authentication/cel"
	"k8s.io/apiserver/pkg/authentication/request/bearertoken"
	tokenunion "k8s.io/apiserver/pkg/authentication/token/union"
	"k8s.io/apiserver/plugin/pkg/authenticator/token/oidc"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/kubeapiserver/options"
)

type caseInput struct {
	ID                    string   `json:"id"`
	Flags                 []string `json:"flags,omitempty"`
	Config                *string  `json:"config,omitempty"`
	ServiceAccountIssuers []string `json:"serviceAccountIssuers,omitempty"`
	JWKS                  string   `json:"jwks,omitempty"`
	Token                 *string  `json:"token,omitempty"`
	Now                   int64    `json:"now"`
}

type configVerdict struct {
	// Valid: kube-apiserver accepts the flags / file and builds its JWT authenticators.
	Valid bool `json:"valid"`
	// Error: the API server's error text when it does not start (flag parsing, options
	// validation, AuthenticationConfiguration validation, or oidc.New).
	Error string `json:"error,omitempty"`
	// Stage: where it failed: "flags", "options", "load", "validation" or "init".
	Stage string `json:"stage,omitempty"`
}

type tokenVerdict struct {
	Authenticated bool                `json:"authenticated"`
	Username      string              `json:"username,omitempty"`
	UID           string              `json:"uid,omitempty"`
	Groups        []string            `json:"groups,omitempty"`
	Extra         map[string][]string `json:"extra,omitempty"`
	// Error: the authenticator's error; "invalid bearer token" (from the bearer token
	// authenticator) when every JWT authenticator skipped the token.
	Error string `json:"error,omitempty"`
	// Skipped: no JWT authenticator's issuer matched the token (or it was no bearer token).
	Skipped bool `json:"skipped,omitempty"`
}

type caseOutput struct {
	ID     string        `json:"id"`
	Config configVerdict `json:"config"`
	Token  *tokenVerdict `json:"token,omitempty"`
}

// clock is the authenticators' notion of now; cases run one at a time, so one variable serves.
var clock struct {
	sync.Mutex
	now time.Time
}

func now() time.Time {
	clock.Lock()
	defer clock.Unlock()
	return clock.now
}

// setNow sets the unexported Options.now, the clock the authenticator hands to go-oidc's
// verifier for exp and nbf. There is no exported way to inject it.
func setNow(opts *oidc.Options, fn func() time.Time) {
	field := reflect.ValueOf(opts).Elem().FieldByName("now")
	reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem().Set(reflect.ValueOf(fn))
}

// discoveryTransport answers discovery and JWKS requests from memory.
type discoveryTransport struct {
	issuer string
	jwks   string
}

func (t *discoveryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body string
	if strings.HasSuffix(req.URL.Path, "/.well-known/openid-configuration") || strings.HasSuffix(req.URL.Path, "openid-configuration") {
		doc, _ := json.Marshal(map[string]any{
			"issuer":                                t.issuer,
			"jwks_uri":                              "https://keys.invalid/jwks",
			"authorization_endpoint":                "https://keys.invalid/authorize",
			"token_endpoint":                        "https://keys.invalid/token",
			"id_token_signing_alg_values_supported": []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"},
		})
		body = string(doc)
	} else if req.URL.Host == "keys.invalid" && req.URL.Path == "/jwks" {
		body = t.jwks
	} else {
		return &http.Response{StatusCode: 404, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("not found")), Header: http.Header{}, Request: req}, nil
	}
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Request: req,
		Header: http.Header{"Content-Type": []string{"application/json"}},
		Body:   io.NopCloser(strings.NewReader(body)),
	}, nil
}

type builtAuthenticator struct {
	verdict configVerdict
	token   authenticator.Token
	cancel  context.CancelFunc
}

var (
	compiler = authenticationcel.NewDefaultCompiler()
	cache    = map[string]*builtAuthenticator{}
	workDir  string
)

// configure runs kube-apiserver's own path from flags or file to JWT authenticators.
func configure(c caseInput) *builtAuthenticator {
	key, _ := json.Marshal([]any{c.Flags, c.Config, c.ServiceAccountIssuers, c.JWKS})
	if built, ok := cache[string(key)]; ok {
		return built
	}
	built := build(c)
	cache[string(key)] = built
	return built
}

func build(c caseInput) *builtAuthenticator {
	fail := func(stage string, err error) *builtAuthenticator {
		return &builtAuthenticator{verdict: configVerdict{Valid: false, Stage: stage, Error: err.Error()}}
	}
	opts := options.NewBuiltInAuthenticationOptions().WithOIDC()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts.AddFlags(fs)
	args := append([]string{}, c.Flags...)
	if c.Config != nil {
		// The file's name appears in load errors; a fixed name keeps them comparable.
		path := filepath.Join(workDir, "authentication-config.yaml")
		if err := os.WriteFile(path, []byte(*c.Config), 0o600); err != nil {
			return fail("load", err)
		}
		args = append(args, "--authentication-config="+path)
	}
	if err := fs.Parse(args); err != nil {
		return fail("flags", err)
	}
	if errs := opts.Validate(); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return fail("options", fmt.Errorf("%s", strings.Join(msgs, "\n")))
	}
	cfg, err := opts.ToAuthenticationConfig()
	if err != nil {
		stage := "validation"
		if !strings.HasPrefix(err.Error(), "invalid authentication configuration: ") {
			stage = "load"
		}
		return fail(stage, fmt.Errorf("%s", strings.ReplaceAll(err.Error(), workDir+string(os.PathSeparator), "")))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var tokens []authenticator.Token
	var health []func() error
	for _, jwt := range cfg.AuthenticationConfig.JWT {
		o := oidc.Options{
			JWTAuthenticator:     jwt,
			Client:               &http.Client{Transport: &discoveryTransport{issuer: jwt.Issuer.URL, jwks: c.JWKS}},
			Compiler:             compiler,
			SupportedSigningAlgs: cfg.OIDCSigningAlgs,
			DisallowedIssuers:    c.ServiceAccountIssuers,
		}
		setNow(&o, now)
		a, err := oidc.New(ctx, o)
		if err != nil {
			cancel()
			return fail("init", err)
		}
		tokens = append(tokens, a)
		health = append(health, a.HealthCheck)
	}
	// Discovery runs in the background, as in the API server; wait until every issuer is ready.
	deadline := time.Now().Add(10 * time.Second)
	for _, check := range health {
		for check() != nil && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if err := check(); err != nil {
			cancel()
			return fail("init", fmt.Errorf("discovery did not complete: %v", err))
		}
	}
	return &builtAuthenticator{verdict: configVerdict{Valid: true}, token: tokenunion.NewFailOnError(tokens...), cancel: cancel}
}

func judge(c caseInput) caseOutput {
	out := caseOutput{ID: c.ID}
	built := configure(c)
	out.Config = built.verdict
	if c.Token == nil || !built.verdict.Valid {
		return out
	}
	clock.Lock()
	clock.now = time.Unix(c.Now, 0)
	clock.Unlock()
	// As a request carries it: the bearer token authenticator extracts the token from the header
	// and answers "invalid bearer token" when every JWT authenticator skipped it.
	req, _ := http.NewRequest(http.MethodGet, "https://kube-apiserver.invalid/api", nil)
	req.Header.Set("Authorization", "Bearer "+*c.Token)
	resp, ok, err := bearertoken.New(built.token).AuthenticateRequest(req)
	v := &tokenVerdict{}
	switch {
	case err != nil:
		v.Error = err.Error()
		v.Skipped = err.Error() == "invalid bearer token"
	case !ok:
		// Not a bearer token at all (empty): the request goes on to the other authenticators.
		v.Skipped = true
	default:
		v.Authenticated = true
		u := resp.User
		v.Username = u.GetName()
		v.UID = u.GetUID()
		v.Groups = u.GetGroups()
		v.Extra = u.GetExtra()
	}
	out.Token = v
	return out
}

func main() {
	// go-oidc prints token times in the process's zone; the API server's static pod runs in UTC.
	time.Local = time.UTC
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
	dir, err := os.MkdirTemp("", "k8s-authn-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	workDir = dir

	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var c caseInput
			if jerr := json.Unmarshal(line, &c); jerr != nil {
				fmt.Fprintf(os.Stderr, "k8s-authn: bad case: %v\n", jerr)
				os.Exit(2)
			}
			result := judge(c)
			if err := enc.Encode(result); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
