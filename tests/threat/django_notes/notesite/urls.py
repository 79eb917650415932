from django.urls import path

from notes import views

urlpatterns = [
    path("notes/", views.note_list, name="note-list"),
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("notes/export/", views.export_notes, name="note-export"),
    path("manage/purge/", views.purge_notes, name="note-purge"),
]
