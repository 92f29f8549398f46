package app

import (
	"embed"
	"fmt"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations/*.json
var translationFS embed.FS

// Languages are the interface languages Skillmatch ships, in menu order.
var Languages = []string{"en", "fr"}

// localeVars are the environment variables Fyne's lang package (through
// github.com/jeandeaual/go-locale) reads to find the system language.
var localeVars = []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}

var (
	langMu     sync.Mutex
	systemEnv  map[string]*string // the locale variables as the process started
	activeLang string
)

// setLanguage makes code ("en", "fr") the interface language, or restores
// the system language when code is "". Fyne's lang package reads the locale
// from the environment, so an override sets LANGUAGE (and, where the
// system locale is C/POSIX or unset, LC_MESSAGES) before the translations
// are reloaded. Strings already on screen are not changed: the caller
// rebuilds its widgets.
func setLanguage(code string) error {
	langMu.Lock()
	defer langMu.Unlock()
	if systemEnv == nil {
		systemEnv = map[string]*string{}
		for _, k := range localeVars {
			if v, ok := os.LookupEnv(k); ok {
				systemEnv[k] = &v
			} else {
				systemEnv[k] = nil
			}
		}
	}
	for _, k := range localeVars {
		if v := systemEnv[k]; v != nil {
			os.Setenv(k, *v)
		} else {
			os.Unsetenv(k)
		}
	}
	switch code {
	case "":
		// "C.UTF-8" names no language; go-locale would hand Fyne "C",
		// which it cannot parse. Such a system gets English.
		base := firstEnv("LC_ALL", "LC_MESSAGES", "LANG")
		if os.Getenv("LANGUAGE") == "" && strings.HasPrefix(base, "C.") {
			os.Setenv("LANGUAGE", "en")
		}
	case "en", "fr":
		os.Setenv("LANGUAGE", code)
		if v := os.Getenv("LC_ALL"); v == "" || v == "C" || v == "POSIX" {
			os.Setenv("LC_ALL", code)
		}
	default:
		return fmt.Errorf("app: unknown interface language %q (use one of %v, or empty for the system language)", code, Languages)
	}
	if err := lang.AddTranslationsFS(translationFS, "translations"); err != nil {
		return fmt.Errorf("app: loading the embedded translations: %w", err)
	}
	activeLang = code
	return nil
}

func firstEnv(keys ...string) string {
	for _, k := range keys {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// uiLanguage returns the language the interface is shown in ("en" or "fr"),
// which is also the language competency labels are shown in.
func uiLanguage() string {
	// The translations carry their own language code, so the answer is
	// whatever Fyne's localizer picked.
	if l := lang.X("meta.language", "en"); l == "fr" {
		return "fr"
	}
	return "en"
}

// T returns the interface string with the given key in the current
// language. data, if given, fills {{.Name}} placeholders.
func T(key string, data ...any) string {
	return lang.X(key, key, data...)
}

// TN returns the plural form of the interface string key for count; the
// translations give "one" and "other" forms and may use {{.Count}}.
func TN(key string, count int, data ...map[string]any) string {
	d := map[string]any{"Count": count}
	for _, m := range data {
		for k, v := range m {
			d[k] = v
		}
	}
	return lang.XN(key, key, count, d)
}
