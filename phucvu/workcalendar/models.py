"""Models of workcalendar."""
