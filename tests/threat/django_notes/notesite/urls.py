from django.urls import path

from notes import views

urlpatterns = [
    path("notes/", views.note_list, name="note-list"),
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("notes/export/", views.export_notes, name="note-export"),
    path("manage/purge/", views.purge_notes, name="note-purge"),
    path("notes/new/", views.NoteCreateView.as_view(), name="note-new"),
    path("admin/notes/", views.AdminNoteView.as_view(), name="admin-notes"),
]
