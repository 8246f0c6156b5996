package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// ExportMapping is the mapping (data/surveys/pulse.toml) of the
// synthetic Qualtrics export: twelve questions over five touchpoints of
// both journeys, two of them text-labelled, missing codes, a question on
// its own 0..10 scale, a reverse-coded one, waves from the start date,
// completed responses only, a region segment and comments.
const ExportMapping = `file    = "pulse.csv"
format  = "qualtrics"
journey = "support"
wave    = { column = "StartDate", ranges = { "2025-H2" = ["2025-07-01", "2025-12-31"], "2026-H1" = ["2026-01-01", "2026-06-30"] } }
respondent = "ResponseId"
where      = { Finished = ["1", "True"] }
segments   = { region = "Q_Region" }

[labels]
agree5 = { "Strongly disagree" = 1, "Disagree" = 2, "Neither agree nor disagree" = 3, "Agree" = 4, "Strongly agree" = 5 }
sat5   = { "Very dissatisfied" = 1, "Dissatisfied" = 2, "Neither satisfied nor dissatisfied" = 3, "Satisfied" = 4, "Very satisfied" = 5 }

[[questions]]
column = "Q1_1"
touchpoint = "call-centre"
attribute = "be-there"
labels = "agree5"
missing = ["Don't know"]

[[questions]]
column = "Q1_2"
touchpoint = "call-centre"
attribute = "clarity"
labels = "agree5"
missing = ["Don't know"]

[[questions]]
column = "Q1_3"
touchpoint = "call-centre"
attribute = "fair"
missing = ["-99"]

[[questions]]
column = "Q2_1"
touchpoint = "app-chat"
attribute = "be-there"
missing = ["-99"]

[[questions]]
column = "Q2_2"
touchpoint = "app-chat"
attribute = "effortless"
missing = ["-99"]
reverse = true

[[questions]]
column = "Q3_1"
journey = "onboarding"
touchpoint = "website"
attribute = "clarity"
scale = { min = 0, max = 10 }

[[questions]]
column = "Q3_2"
journey = "onboarding"
touchpoint = "website"
attribute = "simple"
scale = { min = 0, max = 10 }

[[questions]]
column = "Q4"
journey = "onboarding"
touchpoint = "welcome-call"
attribute = "warm"
labels = "sat5"

[[questions]]
column = "Q5"
touchpoint = "engineer-visit"
attribute = "reliable"
missing = ["-99"]

[[questions]]
column = "Q6"
touchpoint = "call-centre"
recommend = true

[[questions]]
column = "Q7"
recommend = true

[[questions]]
column = "Q8"
journey = "onboarding"
recommend = true

[[comments]]
column = "Q9_TEXT"
touchpoint = "call-centre"
`

var exportHeader = []string{
	"StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,Q1_1,Q1_2,Q1_3,Q2_1,Q2_2,Q3_1,Q3_2,Q4,Q5,Q6,Q7,Q8,Q_Region,Q9_TEXT",
	`Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,"How far do you agree? - The call centre was there for me","How far do you agree? - The call centre was clear",The call centre was fair (1-5),The app chat was there for me (1-5),The app chat took effort (1-5),"How clear was the website? (0 = not at all, 10 = completely)",How simple was the website? (0-10),How satisfied were you with the welcome call?,The engineer was reliable (1-5),How likely are you to recommend our call centre?,How likely are you to recommend Acme?,How likely are you to recommend joining Acme?,Region,"Anything else you want to tell us?"`,
	`"{""ImportId"":""startDate"",""timeZone"":""Europe/London""}","{""ImportId"":""endDate"",""timeZone"":""Europe/London""}","{""ImportId"":""status""}","{""ImportId"":""progress""}","{""ImportId"":""duration""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate"",""timeZone"":""Europe/London""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1_1""}","{""ImportId"":""QID1_2""}","{""ImportId"":""QID1_3""}","{""ImportId"":""QID2_1""}","{""ImportId"":""QID2_2""}","{""ImportId"":""QID3_1""}","{""ImportId"":""QID3_2""}","{""ImportId"":""QID4""}","{""ImportId"":""QID5""}","{""ImportId"":""QID6""}","{""ImportId"":""QID7""}","{""ImportId"":""QID8""}","{""ImportId"":""QID10""}","{""ImportId"":""QID9_TEXT""}"`,
}

// WriteExportSite writes the mapping and a Qualtrics-shaped export of
// rows responses into root/data/surveys/.
func WriteExportSite(root string, rows int) error {
	dir := filepath.Join(root, "data", "surveys")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "pulse.toml"), []byte(ExportMapping), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "pulse.csv"))
	if err != nil {
		return err
	}
	if err := WriteExport(f, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteExport writes a Qualtrics-shaped export (three header rows, CRLF
// line ends as Qualtrics writes them) of rows responses.
func WriteExport(w io.Writer, rows int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(11, 13))
	for _, h := range exportHeader {
		bw.WriteString(h)
		bw.WriteString("\r\n")
	}
	agree := []string{"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"}
	sat := []string{"Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"}
	regions := []string{"North", "South", "East", "West", "North West", "Scotland", "Wales"}
	comments := []string{
		`"Quick, friendly, done"`,
		`"Waited 40 minutes, then cut off"`,
		`Fine`,
		`"They said ""we'll call back"", nobody did"`,
		"\"Two lines:\r\nfirst, then second\"",
	}
	var line []byte
	score := func(base int) int { return min(5, max(1, base+rng.IntN(3)-1)) }
	for i := 0; i < rows; i++ {
		line = line[:0]
		y, m := 2025, 7+rng.IntN(6)
		if rng.IntN(2) == 0 {
			y, m = 2026, 1+rng.IntN(6)
		}
		d, h, mi, s := 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60)
		stamp := fmt.Sprintf("%d-%02d-%02d %02d:%02d:%02d", y, m, d, h, mi, s)
		line = append(line, stamp...)
		line = append(line, ',')
		line = append(line, stamp...)
		finished := rng.IntN(20) != 0
		if finished {
			line = append(line, ",IP Address,100,"...)
		} else {
			line = append(line, ",IP Address,40,"...)
		}
		line = strconv.AppendInt(line, int64(60+rng.IntN(900)), 10)
		if finished {
			line = append(line, ",True,"...)
		} else {
			line = append(line, ",False,"...)
		}
		line = append(line, stamp...)
		line = append(line, ",R_"...)
		line = strconv.AppendInt(line, int64(i+1), 36)
		base := 1 + rng.IntN(5)
		for k := 0; k < 2; k++ { // Q1_1, Q1_2: agree labels
			line = append(line, ',')
			switch r := rng.IntN(20); {
			case r == 0:
			case r == 1:
				line = append(line, "Don't know"...)
			default:
				line = append(line, agree[score(base)-1]...)
			}
		}
		for k := 0; k < 3; k++ { // Q1_3, Q2_1, Q2_2: 1..5, -99 missing
			line = append(line, ',')
			switch r := rng.IntN(20); {
			case r == 0:
			case r == 1:
				line = append(line, "-99"...)
			default:
				line = strconv.AppendInt(line, int64(score(base)), 10)
			}
		}
		for k := 0; k < 2; k++ { // Q3_1, Q3_2: 0..10
			line = append(line, ',')
			if rng.IntN(10) != 0 {
				line = strconv.AppendInt(line, int64(min(10, max(0, 2*base+rng.IntN(3)-1))), 10)
			}
		}
		line = append(line, ',') // Q4: satisfaction labels
		if rng.IntN(10) != 0 {
			line = append(line, sat[score(base)-1]...)
		}
		line = append(line, ',') // Q5
		if rng.IntN(10) != 0 {
			line = strconv.AppendInt(line, int64(score(base)), 10)
		}
		for k := 0; k < 3; k++ { // Q6..Q8: recommend
			line = append(line, ',')
			if rng.IntN(8) != 0 {
				line = strconv.AppendInt(line, int64(min(10, max(0, 2*base+rng.IntN(3)-1))), 10)
			}
		}
		line = append(line, ',')
		line = append(line, regions[rng.IntN(len(regions))]...)
		line = append(line, ',')
		if rng.IntN(4) == 0 {
			line = append(line, comments[rng.IntN(len(comments))]...)
		}
		line = append(line, '\r', '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
