package data

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

const (
	crashChildEnv      = "SKILLMATCH_DATA_CRASH_CHILD"
	concurrentChildEnv = "SKILLMATCH_DATA_CONCURRENT_CHILD"
)

// crashChild imports the folder $SKILLMATCH_DATA_CRASH_CHILD into the
// workspace in the next argument's env var, printing a line per file, until
// it is killed.
func crashChild() {
	dir := os.Getenv(crashChildEnv)
	s, err := Open(os.Getenv("SKILLMATCH_DATA_DB"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	_, err = s.ImportFiles(context.Background(), []string{dir}, ImportOptions{}, func(p Progress) {
		fmt.Printf("done %d\n", p.Done)
	})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("finished")
	os.Exit(0)
}

// TestCrashSafety kills an importing process with SIGKILL in the middle of
// a 1,000-file import, then checks the file and resumes.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,000 files in a child process")
	}
	const files, perFile = 1000, 3
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o700)
	for i := range files {
		writeRoster(t, filepath.Join(in, fmt.Sprintf("p%04d.csv", i)), i, perFile)
	}
	db := filepath.Join(dir, "ws.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+in, "SKILLMATCH_DATA_DB="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	killedAt := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") {
			t.Fatal(line)
		}
		if line == "done 400" {
			killedAt = line
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	cmd.Wait()
	if killedAt == "" {
		t.Fatal("the child finished or failed before it could be killed")
	}

	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(); err != nil {
		t.Fatal(err)
	}
	var fkProblems int
	s.r.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fkProblems)
	if fkProblems != 0 {
		t.Errorf("%d foreign key problems", fkProblems)
	}
	// Only whole files: every person has all their credentials, and the
	// import log matches.
	var people, partial, logged int
	s.r.QueryRow("SELECT count(*) FROM applicants").Scan(&people)
	s.r.QueryRow("SELECT count(*) FROM (SELECT applicant_id FROM credentials GROUP BY applicant_id HAVING count(*) <> ?)", perFile).Scan(&partial)
	s.r.QueryRow("SELECT count(*) FROM import_files").Scan(&logged)
	t.Logf("killed after %q: %d of %d files were committed", killedAt, logged, files)
	if people < 400 || people >= files || partial != 0 || logged != people {
		t.Errorf("after the kill: %d people, %d with a partial file, %d files logged", people, partial, logged)
	}

	rep, err := s.ImportFiles(context.Background(), []string{in}, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != logged || rep.Imported != (files-logged)*perFile || len(rep.Duplicates) != 0 {
		t.Errorf("resume: skipped %d, imported %d, %d duplicates; want %d, %d, 0", len(rep.Skipped), rep.Imported, len(rep.Duplicates), logged, (files-logged)*perFile)
	}
	c, _ := s.Counts()
	if c.Applicants != files || c.Credentials != files*perFile {
		t.Errorf("after resuming: %+v", c)
	}
	if err := s.IntegrityCheck(); err != nil {
		t.Fatal(err)
	}
}

// concurrentChild imports the files listed in the env var into the
// workspace, with a fixed person per process.
func concurrentChild() {
	s, err := Open(os.Getenv("SKILLMATCH_DATA_DB"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	defer s.Close()
	_, err = s.ImportFiles(context.Background(), []string{os.Getenv(concurrentChildEnv)}, ImportOptions{Workers: 1}, nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// TestConcurrentImports runs two processes and two goroutines (each with its
// own Store, so its own connections) importing into one workspace at once.
func TestConcurrentImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	s, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const writers, perWriter = 4, 60
	var folders []string
	for w := range writers {
		f := filepath.Join(dir, fmt.Sprintf("w%d", w))
		os.Mkdir(f, 0o700)
		for i := range perWriter {
			writeRoster(t, filepath.Join(f, fmt.Sprintf("r%03d.csv", i)), w*1000+i, 2)
		}
		folders = append(folders, f)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w < 2 {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), concurrentChildEnv+"="+folders[w], "SKILLMATCH_DATA_DB="+db)
				if out, err := cmd.CombinedOutput(); err != nil {
					errs <- fmt.Errorf("process %d: %v: %s", w, err, out)
				}
				return
			}
			st, err := Open(db)
			if err != nil {
				errs <- err
				return
			}
			defer st.Close()
			if _, err := st.ImportFiles(context.Background(), []string{folders[w]}, ImportOptions{Workers: 1}, nil); err != nil {
				errs <- err
			}
		}()
	}
	// Meanwhile, the "app" reads and writes too.
	for i := range 30 {
		if _, err := s.Search(context.Background(), "person", ApplicantFilter{}, 10); err != nil {
			t.Error(err)
		}
		if err := s.SetSetting("counter", i); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c, _ := s.Counts()
	if c.Applicants != writers*perWriter || c.Credentials != writers*perWriter*2 {
		t.Errorf("after concurrent imports: %+v, want %d people and %d credentials", c, writers*perWriter, writers*perWriter*2)
	}
	// The long-lived read connections see the other writers' rows.
	for w := range writers {
		q := fmt.Sprintf("person%05d", w*1000+perWriter-1)
		res, err := s.Search(context.Background(), q, ApplicantFilter{}, 10)
		if err != nil || res.Total != 1 {
			t.Errorf("search %s: %+v, %v", q, res, err)
		}
	}
	var counter int
	s.Setting("counter", &counter)
	if counter != 29 {
		t.Errorf("counter %d", counter)
	}
	if err := s.IntegrityCheck(); err != nil {
		t.Error(err)
	}
}
