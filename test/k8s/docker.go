package main

// A minimal Docker Engine API client (the calls the kubelet stand-in makes),
// plain HTTP over the engine's Unix socket so that this test program does not
// pull in the Docker client module. API 1.41 is what Debian's Engine 20.10
// speaks.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type docker struct {
	http *http.Client
}

type dockerError struct {
	Status  int
	Message string
}

func (e *dockerError) Error() string { return fmt.Sprintf("docker: %s (HTTP %d)", e.Message, e.Status) }

func isNotFound(err error) bool {
	de, ok := err.(*dockerError)
	return ok && de.Status == http.StatusNotFound
}

func newDocker(socket string) *docker {
	return &docker{http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", socket)
		},
		MaxIdleConnsPerHost: 16,
	}}}
}

func (d *docker) do(ctx context.Context, method, path string, query url.Values, body any) (*http.Response, error) {
	return d.doWithHeader(ctx, method, path, query, body, nil)
}

func (d *docker) doWithHeader(ctx context.Context, method, path string, query url.Values, body any, header http.Header) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	u := "http://docker/v1.41" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusNotModified {
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m struct{ Message string }
		if json.Unmarshal(b, &m) != nil || m.Message == "" {
			m.Message = strings.TrimSpace(string(b))
		}
		return nil, &dockerError{Status: resp.StatusCode, Message: m.Message}
	}
	return resp, nil
}

func (d *docker) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	resp, err := d.do(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

type imageInfo struct {
	ID          string   `json:"Id"`
	RepoDigests []string `json:"RepoDigests"`
}

func (d *docker) inspectImage(ctx context.Context, ref string) (*imageInfo, error) {
	var info imageInfo
	if err := d.call(ctx, http.MethodGet, "/images/"+ref+"/json", nil, nil, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// pullImage pulls ref (name:tag or name@digest), with the registry
// credentials in auth (the engine's X-Registry-Auth value) when not empty.
// The engine answers 200 and reports a failure inside the progress stream,
// so the stream is read to the end.
func (d *docker) pullImage(ctx context.Context, ref, auth string) error {
	q := url.Values{"fromImage": {ref}}
	if !strings.Contains(ref, "@") && !strings.Contains(ref[strings.LastIndex(ref, "/")+1:], ":") {
		q.Set("tag", "latest")
	}
	var header http.Header
	if auth != "" {
		header = http.Header{"X-Registry-Auth": {auth}}
	}
	resp, err := d.doWithHeader(ctx, http.MethodPost, "/images/create", q, nil, header)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		var msg struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(sc.Bytes(), &msg) == nil && msg.Error != "" {
			return &dockerError{Status: 500, Message: msg.Error}
		}
	}
	return sc.Err()
}

type containerState struct {
	Status     string `json:"Status"`
	Running    bool   `json:"Running"`
	OOMKilled  bool   `json:"OOMKilled"`
	ExitCode   int    `json:"ExitCode"`
	Error      string `json:"Error"`
	StartedAt  string `json:"StartedAt"`
	FinishedAt string `json:"FinishedAt"`
}

type containerInfo struct {
	ID     string         `json:"Id"`
	Name   string         `json:"Name"`
	Image  string         `json:"Image"`
	State  containerState `json:"State"`
	Config struct {
		Labels map[string]string `json:"Labels"`
		Tty    bool              `json:"Tty"`
	} `json:"Config"`
}

func (d *docker) inspectContainer(ctx context.Context, idOrName string) (*containerInfo, error) {
	var info containerInfo
	if err := d.call(ctx, http.MethodGet, "/containers/"+idOrName+"/json", nil, nil, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

func (d *docker) createContainer(ctx context.Context, name string, spec any) (string, error) {
	var out struct {
		ID string `json:"Id"`
	}
	err := d.call(ctx, http.MethodPost, "/containers/create", url.Values{"name": {name}}, spec, &out)
	return out.ID, err
}

func (d *docker) startContainer(ctx context.Context, id string) error {
	return d.call(ctx, http.MethodPost, "/containers/"+id+"/start", nil, nil, nil)
}

func (d *docker) stopContainer(ctx context.Context, id string, grace time.Duration) error {
	q := url.Values{"t": {fmt.Sprint(int(grace.Seconds()))}}
	return d.call(ctx, http.MethodPost, "/containers/"+id+"/stop", q, nil, nil)
}

func (d *docker) removeContainer(ctx context.Context, id string) error {
	err := d.call(ctx, http.MethodDelete, "/containers/"+id, url.Values{"force": {"true"}}, nil, nil)
	if isNotFound(err) {
		return nil
	}
	return err
}

type containerSummary struct {
	ID     string            `json:"Id"`
	Names  []string          `json:"Names"`
	Labels map[string]string `json:"Labels"`
}

func (d *docker) listContainers(ctx context.Context, label string) ([]containerSummary, error) {
	filters, _ := json.Marshal(map[string][]string{"label": {label}})
	var out []containerSummary
	err := d.call(ctx, http.MethodGet, "/containers/json", url.Values{"all": {"true"}, "filters": {string(filters)}}, nil, &out)
	return out, err
}

// logs streams a container's output; without a TTY the engine multiplexes
// stdout and stderr in frames (8-byte header) that demux strips.
func (d *docker) logs(ctx context.Context, id string, q url.Values) (io.ReadCloser, error) {
	q.Set("stdout", "true")
	q.Set("stderr", "true")
	resp, err := d.do(ctx, http.MethodGet, "/containers/"+id+"/logs", q, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// demux copies the payload of the engine's multiplexed stream to w.
func demux(w io.Writer, r io.Reader, flush func()) error {
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(r, hdr); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			return err
		}
		n := int64(hdr[4])<<24 | int64(hdr[5])<<16 | int64(hdr[6])<<8 | int64(hdr[7])
		if _, err := io.CopyN(w, r, n); err != nil {
			return err
		}
		if flush != nil {
			flush()
		}
	}
}

// exec runs cmd in a running container and returns its exit code, for exec
// probes.
func (d *docker) exec(ctx context.Context, id string, cmd []string) (int, error) {
	var created struct {
		ID string `json:"Id"`
	}
	if err := d.call(ctx, http.MethodPost, "/containers/"+id+"/exec", nil,
		map[string]any{"Cmd": cmd, "AttachStdout": true, "AttachStderr": true}, &created); err != nil {
		return -1, err
	}
	if err := d.call(ctx, http.MethodPost, "/exec/"+created.ID+"/start", nil,
		map[string]any{"Detach": false, "Tty": false}, nil); err != nil {
		return -1, err
	}
	var inspect struct {
		Running  bool `json:"Running"`
		ExitCode int  `json:"ExitCode"`
	}
	if err := d.call(ctx, http.MethodGet, "/exec/"+created.ID+"/json", nil, nil, &inspect); err != nil {
		return -1, err
	}
	return inspect.ExitCode, nil
}

func (d *docker) renameContainer(ctx context.Context, id, name string) error {
	return d.call(ctx, http.MethodPost, "/containers/"+id+"/rename", url.Values{"name": {name}}, nil, nil)
}
